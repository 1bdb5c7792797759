// One mistake, one message: a corpus of specs with a single mistake each, its message in the language's words at the mistake's range, and
// the fix it names.
import { describe, expect, test } from 'vitest';
import { TextDocument } from 'langium';
import { useEmnServices } from './emn-test-services.js';

/** A valid spec: every case below changes one thing in it. */
const BASE = `operation Op {
    matvec
    size 20
    sparsity 0.5
    entries binary
}

network Net {
    width 4
    depth 2
}

experiment E {
    learn Op with Net
    optimizer sgd(lr 0.05, momentum 0.9)
    steps 100
    seed 1
}
`;

interface Case {
    /** What the mistake is. */
    name: string;
    /** Text of BASE to replace, and its replacement; «...» marks the range the message must have («» an empty one). */
    find: string;
    replace: string;
    message: RegExp;
    /** A second replacement that belongs to the same mistake (a name written the same wrong way everywhere). */
    also?: [string, string];
    /** Other files of the workspace (the specs are at file:///N.emn, so these are at file:///name). */
    files?: Record<string, string>;
    /** The preferred quick fix makes the spec valid again. */
    fixed?: boolean;
}

const cases: Case[] = [
    {
        name: 'misspelt property in an operation',
        find: 'size 20',
        replace: '«sizee» 20',
        message: /^unknown property `sizee` in an operation; did you mean `size`\? An operation takes matvec \| power \| polynomial, size/,
        fixed: true,
    },
    { name: 'misspelt sparsity', find: 'sparsity 0.5', replace: '«sparsty» 0.5', message: /did you mean `sparsity`/, fixed: true },
    { name: 'misspelt entries', find: 'entries binary', replace: '«entires» binary', message: /did you mean `entries`/, fixed: true },
    {
        name: 'misspelt width',
        find: 'width 4',
        replace: '«widht» 4',
        message: /unknown property `widht` in a network; did you mean `width`/,
        fixed: true,
    },
    { name: 'misspelt depth', find: 'depth 2', replace: '«depht» 2', message: /did you mean `depth`/, fixed: true },
    {
        name: 'British optimiser',
        find: 'optimizer sgd',
        replace: '«optimiser» sgd',
        message: /unknown property `optimiser` in an experiment; did you mean `optimizer`/,
        fixed: true,
    },
    { name: 'misspelt steps', find: 'steps 100', replace: '«stpes» 100', message: /did you mean `steps`/, fixed: true },
    { name: 'misspelt learn', find: 'learn Op', replace: '«lern» Op', message: /did you mean `learn`/, fixed: true },
    { name: 'misspelt seed', find: 'seed 1', replace: '«seeed» 1', message: /did you mean `seed`/, fixed: true },
    {
        name: 'misspelt experiment',
        find: 'experiment E {',
        replace: '«experimnt» E {',
        message: /^`experimnt` does not start a declaration; did you mean `experiment`\?/,
        fixed: true,
    },
    { name: 'misspelt operation', find: 'operation Op {', replace: '«operaton» Op {', message: /did you mean `operation`/, fixed: true },
    { name: 'misspelt network', find: 'network Net {', replace: '«netwrk» Net {', message: /did you mean `network`/, fixed: true },
    {
        name: "a network's property in an operation",
        find: '    matvec\n',
        replace: '    matvec\n    «width» 4\n',
        message: /^`width` is not a property of an operation \(it belongs in a network\)/,
    },
    {
        name: "an operation's property in a network",
        find: '    depth 2\n',
        replace: '    depth 2\n    «sparsity» 0.5\n',
        message: /^`sparsity` is not a property of a network \(it belongs in an operation\)/,
    },
    {
        name: 'size without its value',
        find: 'size 20',
        replace: 'size«»',
        message: /^`size` needs a number \(e\.g\. size 20\); found `sparsity`/,
        fixed: true,
    },
    {
        name: 'width without its value',
        find: 'width 4',
        replace: 'width«»',
        message: /^`width` needs a number \(e\.g\. width 4\)/,
        fixed: true,
    },
    { name: 'steps without its value', find: 'steps 100', replace: 'steps«»', message: /^`steps` needs a number/, fixed: true },
    {
        name: 'lr without its value',
        find: 'sgd(lr 0.05,',
        replace: 'sgd(lr«»,',
        message: /^`lr` needs a number \(e\.g\. lr 0\.05\)/,
        fixed: true,
    },
    {
        name: 'operation not closed before the next declaration',
        find: 'entries binary\n}',
        replace: 'entries binary«»',
        message: /^`}` missing before `network`: the operation block is not closed/,
        fixed: true,
    },
    {
        name: 'experiment not closed at the end',
        find: 'seed 1\n}\n',
        replace: 'seed 1«»\n',
        message: /^`}` missing at the end of the file: the experiment block is not closed/,
        fixed: true,
    },
    {
        name: 'a brace too many',
        find: 'entries binary\n}\n',
        replace: 'entries binary\n}\n«}»\n',
        message: /^`}` closes nothing here/,
        fixed: true,
    },
    {
        name: 'an unknown distribution',
        find: 'entries binary',
        replace: 'entries «gauss»',
        message: /^`entries` takes binary, uniform\(a, b\) or normal\(mu, sigma\); found `gauss`/,
    },
    {
        name: 'a misspelt distribution',
        find: 'entries binary',
        replace: 'entries «unifrom»(0, 1)',
        message: /did you mean `uniform`/,
        fixed: true,
    },
    {
        name: 'uniform without its comma',
        find: 'entries binary',
        replace: 'entries uniform(0«» 1)',
        message: /^`,` missing before `1`: the form is uniform\(a, b\)/,
        fixed: true,
    },
    {
        name: 'uniform without its closing parenthesis',
        find: 'entries binary',
        replace: 'entries uniform(0, 1«»',
        message: /^`\)` missing before `}`: the form is uniform\(a, b\)/,
        fixed: true,
    },
    {
        name: 'a misspelt activation',
        find: 'depth 2',
        replace: 'depth 2\n    activation «relux»',
        message: /^`activation` takes none, relu or tanh; found `relux`: did you mean `relu`\?/,
        fixed: true,
    },
    {
        name: 'a misspelt pruning',
        find: 'depth 2',
        replace: 'depth 2\n    pruning «rowwse»',
        message: /^`pruning` takes rowwise or none.*did you mean `rowwise`/,
        fixed: true,
    },
    {
        name: 'an unknown optimiser',
        find: 'sgd(lr 0.05, momentum 0.9)',
        replace: '«adamw»(lr 0.01)',
        message: /^`optimizer` takes sgd\(.*\) or adam\(.*\); found `adamw`: did you mean `adam`\?/,
        fixed: true,
    },
    {
        name: 'a misspelt schedule',
        find: 'seed 1',
        replace: 'seed 1\n    schedule «metaEpoch» 2 masks 4 steps 10',
        message: /^`schedule` takes joint or metaEpochs .*did you mean `metaEpochs`/,
    },
    {
        name: 'a misspelt sweep parameter',
        find: 'seed 1',
        replace: 'seed 1\n    sweep «sizee» [5, 10]',
        message: /sweep parameter.*did you mean `size`/,
        fixed: true,
    },
    {
        name: 'an empty sweep list',
        find: 'seed 1',
        replace: 'seed 1\n    sweep size [«]»',
        message: /^expected a list of numbers or of names, separated by commas: the form is sweep size \[5, 10, 20\]/,
    },
    {
        name: 'a misspelt samples',
        find: 'seed 1',
        replace: 'seed 1\n    evaluate 100 «sample»',
        message: /^expected `samples`, found `sample`: did you mean `samples`\?/,
        fixed: true,
    },
    {
        name: 'a stop threshold missing',
        find: 'seed 1',
        replace: 'seed 1\n    stop when mse <«»',
        message: /^a number is missing after `<`: the form is stop when mse < 1e-6/,
    },
    { name: 'a stray character', find: 'steps 100', replace: 'steps 100 «@»', message: /^`@` is not part of the language/ },
    { name: 'a semicolon', find: 'size 20', replace: 'size 20«;»', message: /^`;` is not part of the language/ },
    {
        name: 'a Cyrillic name',
        find: 'network Net {',
        replace: 'network «Сеть» {',
        also: ['with Net', 'with Сеть'],
        message: /^Сеть is not a valid name\. A name starts with an ASCII letter/,
    },
    {
        name: 'a name with a Cyrillic part',
        find: 'operation Op {',
        replace: 'operation «Opв» {',
        also: ['learn Op ', 'learn Opв '],
        message: /^Opв is not a valid name/,
    },
    {
        name: 'a network where an operation goes',
        find: 'learn Op with Net',
        replace: 'learn «Net» with Net',
        message: /^Net is a network; `learn` takes an operation first: learn Op with Net$/,
    },
    {
        name: 'an operation where a network goes',
        find: 'learn Op with Net',
        replace: 'learn Op with «Op»',
        message: /^Op is an operation; `with` takes a network/,
    },
    {
        name: 'a misspelt reference',
        find: 'learn Op with Net',
        replace: 'learn Op with «Nett»',
        message: /^no network named Nett in this file or its imports; did you mean `Net`\?$/,
        fixed: true,
    },
    {
        name: 'an undeclared reference',
        find: 'learn Op with Net',
        replace: 'learn «Matvec99» with Net',
        message: /^no operation named Matvec99 in this file or its imports: declare it/,
    },
    {
        name: '`with` missing',
        find: 'learn Op with Net',
        replace: 'learn Op «Net»',
        message: /^`with` missing before `Net`: the form is learn Op with Net/,
        fixed: true,
    },
    {
        name: 'a name missing',
        find: 'network Net {',
        replace: 'network «{»',
        message: /^a network needs a name after `network`; found `{`\. A name starts/,
    },
    {
        name: 'a brace missing after the name',
        find: 'network Net {\n    width 4',
        replace: 'network Net\n    «width» 4',
        message: /^`{` missing after `Net`/,
        fixed: true,
    },
    {
        name: 'a property given twice',
        find: 'size 20',
        replace: 'size 20\n    «size 10»',
        message: /^size is set twice in Op/,
        fixed: true,
    },
    { name: 'a value out of range', find: 'sparsity 0.5', replace: 'sparsity «1.5»', message: /sparsity/, fixed: true },
    {
        name: 'an import of a missing file',
        find: 'operation Op {',
        replace: 'import «"nope.emn"»\noperation Op {',
        message: /^import "nope\.emn": no such file/,
    },
    {
        name: 'an import below a declaration',
        find: 'network Net {',
        replace: 'import «"nope.emn"»\nnetwork Net {',
        message: /^imports go at the top of the file/,
    },
    {
        name: 'an import of an existing file below a declaration',
        find: 'network Net {',
        replace: 'import «"base.emn"»\nnetwork Net {',
        message: /^imports go at the top of the file/,
        fixed: true,
        files: { 'base.emn': 'operation Unused {}\n' },
    },
    {
        name: 'an absolute import',
        find: 'operation Op {',
        replace: 'import «"/etc/ops.emn"»\noperation Op {',
        message: /not an absolute path/,
    },
    {
        name: 'an sgd option under another name',
        find: 'sgd(lr 0.05, momentum 0.9)',
        replace: 'sgd(«learning_rate» 0.05)',
        message: /^sgd takes lr, momentum; `learning_rate` is not one of them — did you mean `lr`\?$/,
        fixed: true,
    },
    {
        name: 'an adam option under another name',
        find: 'sgd(lr 0.05, momentum 0.9)',
        replace: 'adam(«learning_rate» 0.01)',
        message: /^adam takes lr, beta1, beta2, epsilon; `learning_rate` is not one of them — did you mean `lr`\?$/,
        fixed: true,
    },
    {
        name: 'a misspelt optimiser option after the first',
        find: 'sgd(lr 0.05, momentum 0.9)',
        replace: 'sgd(lr 0.05, «momentm» 0.9)',
        message: /^sgd takes lr, momentum; `momentm` is not one of them — did you mean `momentum`\?$/,
        fixed: true,
    },
    {
        name: 'an option no optimiser has',
        find: 'sgd(lr 0.05, momentum 0.9)',
        replace: 'sgd(«decay» 0.1)',
        message: /^sgd takes lr, momentum; `decay` is not one of them$/,
    },
    {
        name: 'a stop rule on the loss',
        find: 'seed 1',
        replace: 'seed 1\n    stop when «loss» < 1e-6',
        message: /^stop rules read `mse` \(the training loss, a mean squared error\), not `loss`: the form is stop when mse < 1e-6$/,
        fixed: true,
    },
    {
        name: 'a keyword as an experiment name',
        find: 'experiment E {',
        replace: 'experiment «pool» {',
        message: /^an experiment needs a name after `experiment`; `pool` is a keyword, not a name/,
    },
    {
        name: 'a keyword as a network name',
        find: 'network Net {',
        replace: 'network «depth» {',
        also: ['with Net', 'with depth'],
        message: /^a network needs a name after `network`; `depth` is a keyword, not a name/,
    },
    {
        name: 'a named sweep value misspelt',
        find: 'seed 1',
        replace: 'seed 1\n    sweep activation [none, «relux»]',
        message: /^activation cannot be relux; did you mean relu\? It is one of none, relu or tanh$/,
    },
    {
        name: 'steps under metaEpochs',
        find: 'seed 1',
        replace: 'seed 1\n    schedule metaEpochs 2 masks 4 steps 10',
        message: /^steps is ignored under schedule metaEpochs: .*set E in the schedule instead/,
    },
    {
        name: 'pool under metaEpochs',
        find: 'steps 100',
        replace: '«pool 8»\n    schedule metaEpochs 2 masks 4 steps 10',
        message: /^pool is ignored under schedule metaEpochs/,
    },
];

// the steps-under-metaEpochs case marks the existing `steps 100`
cases.find(c => c.name === 'steps under metaEpochs')!.find = 'steps 100\n    seed 1';
cases.find(c => c.name === 'steps under metaEpochs')!.replace = '«steps 100»\n    seed 1\n    schedule metaEpochs 2 masks 4 steps 10';

/** The case's spec text and the range its markers give. */
function build(c: Case): { text: string; start: number; end: number } {
    if (!BASE.includes(c.find)) throw new Error(`${c.name}: '${c.find}' not in BASE`);
    let marked = BASE.replace(c.find, c.replace);
    if (c.also) marked = marked.replace(c.also[0], c.also[1]);
    const start = marked.indexOf('«'),
        end = marked.indexOf('»') - 1;
    if (start < 0 || end < start) throw new Error(`${c.name}: no «» markers`);
    return { text: marked.replace('«', '').replace('»', ''), start, end };
}

describe("one mistake, one message, in the language's words", () => {
    const { services, validate } = useEmnServices();

    test('the base spec is valid and the corpus is large enough', async () => {
        expect((await validate(BASE)).diagnostics).toEqual([]);
        expect(cases.length).toBeGreaterThanOrEqual(40);
    });

    test.each(cases.map(c => [c.name, c]))('%s', async (_name, c) => {
        const { text, start, end } = build(c);
        for (const [name, content] of Object.entries(c.files ?? {})) await validate(content, `file:///${name}`);
        const result = await validate(text);
        const doc = result.document.textDocument;
        const shown = result.diagnostics.map(
            d =>
                `${doc.offsetAt(d.range.start)}-${doc.offsetAt(d.range.end)} ${typeof d.message === 'string' ? d.message : d.message.value}`,
        );
        expect(shown, shown.join('\n')).toHaveLength(1);
        const [diagnostic] = result.diagnostics;
        expect(diagnostic.message).toMatch(c.message);
        expect([doc.offsetAt(diagnostic.range.start), doc.offsetAt(diagnostic.range.end)]).toEqual([start, end]);
        for (const parserWording of ['Expecting', '->', '<-', 'offset:', 'token of type', 'Redundant input']) {
            expect(diagnostic.message).not.toContain(parserWording);
        }
        if (c.fixed) {
            const actions =
                (await services.lsp.CodeActionProvider!.getCodeActions(result.document, {
                    textDocument: { uri: result.document.uri.toString() },
                    range: diagnostic.range,
                    context: { diagnostics: [diagnostic] },
                })) ?? [];
            const action = actions.find(a => 'edit' in a && a.isPreferred) ?? actions[0];
            const edits = action && 'edit' in action ? (action.edit?.changes?.[result.document.uri.toString()] ?? []) : [];
            expect(edits.length).toBeGreaterThan(0);
            const fixedText = TextDocument.applyEdits(doc, edits);
            const after = await validate(fixedText);
            expect(after.diagnostics.map(d => d.message)).toEqual([]);
        }
    });
});
