import { test } from 'vitest';
import { URI } from 'langium';
import { readFileSync } from 'node:fs';
import { useEmnServices } from './emn-test-services.js';
const { services } = useEmnServices();
test('probe', async () => {
    const cases = JSON.parse(readFileSync('/tmp/lang-probe/cases.json', 'utf8')) as Record<string, string>;
    let i = 0; const out: string[] = [];
    for (const [name, text] of Object.entries(cases)) {
        const doc = services.shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`memory:/p${i++}.emn`));
        services.shared.workspace.LangiumDocuments.addDocument(doc);
        await services.shared.workspace.DocumentBuilder.build([doc], { validation: true });
        out.push('== ' + name);
        for (const d of doc.diagnostics ?? []) out.push(`  ${d.range.start.line+1}:${d.range.start.character+1}-${d.range.end.line+1}:${d.range.end.character+1} ${d.severity===1?'E':'W'} ${d.message.replace(/\n/g,' | ')}`);
        services.shared.workspace.LangiumDocuments.deleteDocument(doc.uri);
    }
    console.log(out.join('\n'));
});
