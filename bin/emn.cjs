#!/usr/bin/env node
// The `emn` command: runs the bundled CLI (built by `npm install` through the prepare script), from V8's code cache.
const { join } = require('node:path');
require('../dist/code-cache.cjs').requireWithCodeCache(join(__dirname, '..', 'dist', 'cli.cjs'), process.argv[2]);
