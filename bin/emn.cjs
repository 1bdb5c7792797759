#!/usr/bin/env node
// The `emn` command: runs the bundled CLI (built by `npm install` through the prepare script), from V8's code cache.
const { join } = require('node:path');
// one cache per command word (each compiles other functions); anything else shares one
const COMMANDS = ['train', 'check', 'sweep', 'diff', 'report', 'lsp'];
const command = COMMANDS.includes(process.argv[2]) ? process.argv[2] : '';
require('../dist/code-cache.cjs').requireWithCodeCache(join(__dirname, '..', 'dist', 'cli.cjs'), command);
