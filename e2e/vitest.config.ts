// The real-editor tests: the packaged .vsix in a real code-server, driven through Debian's Chromium (slow: one file, in order).
import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['e2e/**/*.test.ts'],
        testTimeout: 180_000,
        // packaging the .vsix and starting code-server + Chromium
        hookTimeout: 300_000,
        pool: 'forks',
        fileParallelism: false,
        sequence: { concurrent: false },
    },
});
