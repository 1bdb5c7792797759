// `node bench/heap-diff.mjs A.heapsnapshot B.heapsnapshot`: what a V8 heap holds more of in B than in A, by object kind
// and constructor name (count and self size), largest growth first; then the code each heap holds: functions
// (SharedFunctionInfos), closures, regexps and functions with optimised code. Finds what each soak run leaves behind,
// and tells code made per run (more functions or closures) from the JIT optimising more of the same functions.
import { readFileSync } from 'node:fs';

function summary(path) {
    const snap = JSON.parse(readFileSync(path, 'utf8'));
    const {
        node_fields: fields,
        edge_fields: edgeFields,
        node_types: [types],
        edge_types: [edgeTypes],
    } = snap.snapshot.meta;
    const width = fields.length;
    const edgeWidth = edgeFields.length;
    const at = name => fields.indexOf(name);
    const [typeAt, nameAt, sizeAt, edgesAt] = [at('type'), at('name'), at('self_size'), at('edge_count')];
    const [edgeTypeAt, edgeNameAt] = [edgeFields.indexOf('type'), edgeFields.indexOf('name_or_index')];
    // edges named by a string (not by an index): a SharedFunctionInfo has a script, optimised code has deopt data
    const named = name => snap.strings.indexOf(name);
    const [scriptEdge, deoptEdge] = [named('script_or_debug_info'), named('deoptimization_data')];
    const groups = new Map();
    const code = { functions: 0, closures: 0, regexps: 0, optimised: 0 };
    for (let k = 0, edge = 0; k < snap.nodes.length; k += width) {
        const type = types[snap.nodes[k + typeAt]];
        // strings and code are grouped by kind only: their names are their contents
        const name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[k + nameAt]].slice(0, 80) : '';
        const key = `${type} ${name}`;
        const g = groups.get(key) ?? { count: 0, size: 0 };
        g.count++;
        g.size += snap.nodes[k + sizeAt];
        groups.set(key, g);
        if (type === 'closure') code.closures++;
        if (type === 'regexp') code.regexps++;
        for (let e = 0; e < snap.nodes[k + edgesAt]; e++, edge += edgeWidth) {
            const edgeType = edgeTypes[snap.edges[edge + edgeTypeAt]];
            if (edgeType === 'element' || edgeType === 'hidden') continue;
            if (snap.edges[edge + edgeNameAt] === scriptEdge) code.functions++;
            if (snap.edges[edge + edgeNameAt] === deoptEdge) code.optimised++;
        }
    }
    return { groups, code };
}

const [a, b] = process.argv.slice(2).map(summary);
const rows = [...b.groups]
    .map(([key, g]) => {
        const before = a.groups.get(key) ?? { count: 0, size: 0 };
        return { key, count: g.count - before.count, size: g.size - before.size };
    })
    .filter(r => r.count !== 0 || r.size !== 0)
    .sort((x, y) => y.size - x.size);
const total = rows.reduce((s, r) => s + r.size, 0);
console.log(`self size ${total >= 0 ? '+' : ''}${(total / 1024).toFixed(1)} KB in all`);
for (const r of rows.slice(0, Number(process.env.TOP ?? 40)))
    console.log(`${(r.size / 1024).toFixed(1).padStart(9)} KB ${String(r.count).padStart(7)}  ${r.key}`);
console.log('code held (A -> B):');
for (const [what, label] of [
    ['functions', 'functions (SharedFunctionInfos)'],
    ['closures', 'closures'],
    ['regexps', 'regexps'],
    ['optimised', 'functions with optimised code (deoptimisation data)'],
])
    console.log(`  ${label}: ${a.code[what]} -> ${b.code[what]}`);
