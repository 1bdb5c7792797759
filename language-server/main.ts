// Entry point of the language server process: `node dist/language-server.cjs --stdio` (also `emn lsp --stdio`).
import 'core-js/actual/object/group-by.js';
import { startEmnLanguageServer } from './start-server.js';

startEmnLanguageServer();
