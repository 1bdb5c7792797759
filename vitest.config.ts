// Unit and protocol tests (test/); the real-editor test lives in e2e/ with its own config.
import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        setupFiles: ['test/setup.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: 'forks',
    },
});
