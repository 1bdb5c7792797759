// Lint (typescript-eslint, type-aware) of every TypeScript source: run by `npm test` as a counted test (scripts/run-tests.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {
        ignores: [
            'dist/**',
            'out/**',
            'node_modules/**',
            'language-server/generated/**',
            'engine/**/*.as.ts',
            '**/*.js',
            '**/*.cjs',
            '**/*.mjs',
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            // the nearest tsconfig.json of each file: the root one, the webview's (DOM) and e2e's
            parserOptions: {
                projectService: { allowDefaultProject: ['vitest.config.ts'] },
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            // `_name` marks a value destructured away on purpose (results without their weights)
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
            ],
            // prettier keeps code within 140 columns but never wraps comments: this rule does that part (strings,
            // template literals and URLs may run longer, as prettier leaves them too)
            'max-len': [
                'error',
                { code: 140, tabWidth: 4, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
            ],
        },
    },
    {
        files: ['test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
        rules: {
            // tests and benchmarks read JSON (child processes' stdout, LSP messages, results files): `any` is what
            // JSON.parse and the star handlers give, and the assertions that follow are the check of its shape
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-unsafe-call': 'off',
            '@typescript-eslint/no-unsafe-return': 'off',
            '@typescript-eslint/no-unsafe-argument': 'off',
            '@typescript-eslint/no-explicit-any': 'off',
            // LSP 3.18 types a diagnostic's message as string | MarkupContent; the server sends strings, compared as such
            '@typescript-eslint/no-base-to-string': 'off',
        },
    },
    {
        files: ['language-server/validation/emn-validator.ts'],
        rules: {
            // Langium's ValidationRegistry.register(checks, validator) calls each check method with the validator as `this`
            '@typescript-eslint/unbound-method': 'off',
        },
    },
    {
        files: ['engine/training/fused-ops.ts'],
        rules: {
            // tfjs's registerKernel / registerGradient take untyped configs (inputs, attrs, saved tensors are `any`)
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-unsafe-call': 'off',
            '@typescript-eslint/no-unsafe-return': 'off',
            '@typescript-eslint/no-unnecessary-type-assertion': 'off',
        },
    },
);
