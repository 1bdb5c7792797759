// `node bench/heap-diff.mjs A.heapsnapshot B.heapsnapshot`: what a V8 heap holds more of in B than in A, by object kind
// and constructor name (count and self size), largest growth first. Finds what each soak run leaves behind.
import { readFileSync } from 'node:fs';

function summary(path) {
    const snap = JSON.parse(readFileSync(path, 'utf8'));
    const {
        node_fields: fields,
        node_types: [types],
    } = snap.snapshot.meta;
    const width = fields.length;
    const at = name => fields.indexOf(name);
    const [typeAt, nameAt, sizeAt] = [at('type'), at('name'), at('self_size')];
    const groups = new Map();
    for (let k = 0; k < snap.nodes.length; k += width) {
        const type = types[snap.nodes[k + typeAt]];
        // strings and code are grouped by kind only: their names are their contents
        const name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[k + nameAt]].slice(0, 80) : '';
        const key = `${type} ${name}`;
        const g = groups.get(key) ?? { count: 0, size: 0 };
        g.count++;
        g.size += snap.nodes[k + sizeAt];
        groups.set(key, g);
    }
    return groups;
}

const [a, b] = process.argv.slice(2).map(summary);
const rows = [...b]
    .map(([key, g]) => {
        const before = a.get(key) ?? { count: 0, size: 0 };
        return { key, count: g.count - before.count, size: g.size - before.size };
    })
    .filter(r => r.count !== 0 || r.size !== 0)
    .sort((x, y) => y.size - x.size);
const total = rows.reduce((s, r) => s + r.size, 0);
console.log(`self size ${total >= 0 ? '+' : ''}${(total / 1024).toFixed(1)} KB in all`);
for (const r of rows.slice(0, Number(process.env.TOP ?? 40)))
    console.log(`${(r.size / 1024).toFixed(1).padStart(9)} KB ${String(r.count).padStart(7)}  ${r.key}`);
