// Test setup: Node 20 lacks Object.groupBy, which the parser library (chevrotain) uses.
import 'core-js/actual/object/group-by.js';
