#!/usr/bin/env node
// The `emn` command: runs the bundled CLI (built by `npm install` through the prepare script).
require('../dist/cli.cjs');
