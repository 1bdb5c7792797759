// Completion: Langium's keywords and references, plus snippets for values with arguments, docs on keywords and default numbers.
import { AstUtils, GrammarAST, isJSDoc, parseJSDoc, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { DefaultCompletionProvider, type CompletionAcceptor, type CompletionContext, type NextFeature } from 'langium/lsp';
import {
    CompletionItemKind,
    InsertTextFormat,
    type CancellationToken,
    type CompletionList,
    type CompletionParams,
} from 'vscode-languageserver';
import { ADAM_DEFAULTS, NAMED_SWEEP_VALUES, SGD_DEFAULTS, type SweepParameter } from '../../engine/view.js';
import { KIND_TYPES, OPTIMIZER_OPTIONS, REPEATABLE, SWEEP_PARAMETERS } from '../language-facts.js';
import { defaultValueText } from './spec-summary.js';

/** Keywords that take arguments: completing them writes the whole form, with tab stops at the defaults. */
const SNIPPETS: Record<string, { snippet: string; detail: string }> = {
    uniform: { snippet: 'uniform(${1:-1}, ${2:1})', detail: 'uniform(a, b), a < b' },
    normal: { snippet: 'normal(${1:0}, ${2:1})', detail: 'normal(mu, sigma), sigma > 0' },
    sgd: { snippet: `sgd(lr \${1:${SGD_DEFAULTS.lr}}, momentum \${2:${SGD_DEFAULTS.momentum}})`, detail: 'SGD with momentum' },
    adam: { snippet: `adam(lr \${1:${ADAM_DEFAULTS.lr}})`, detail: 'Adam (beta1, beta2, epsilon optional)' },
    metaEpochs: {
        snippet: 'metaEpochs ${1:5} masks ${2:64} steps ${3:40} order ${4|shuffled,fixed,sparsity|}',
        detail: "the paper's schedule",
    },
    polynomial: { snippet: 'polynomial [${1:0}, ${2:1}, ${3:0.5}]', detail: 'sum_k c_k A^k x' },
    power: { snippet: 'power ${1:2}', detail: 'A^k x' },
    learn: { snippet: 'learn ${1:Operation} with ${2:Network}', detail: 'the operation and the network (required)' },
    stop: { snippet: 'stop when mse < ${1:1e-6}', detail: 'early stop' },
    evaluate: { snippet: 'evaluate ${1:1000} samples', detail: 'test on fresh samples' },
    sweep: { snippet: `sweep \${1|${SWEEP_PARAMETERS.join(',')}|} [\${2:5, 10, 20}]`, detail: 'one run per value' },
};

function ancestor(node: AstNode | undefined, type: string): AstNode | undefined {
    for (let n = node; n; n = n.$container) if (n.$type === type) return n;
    return undefined;
}

function hasAncestor(node: AstNode | undefined, type: string): boolean {
    return ancestor(node, type) !== undefined;
}

/** Whether a keyword starts its rule (`size` in `'size' value=NUMBER`, `matvec` after `{infer MatvecKind}`). */
function firstKeyword(keyword: GrammarAST.Keyword): boolean {
    const definition = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.definition;
    if (definition === keyword) return true;
    if (!GrammarAST.isGroup(definition)) return false;
    return definition.elements.find(e => !GrammarAST.isAction(e)) === keyword;
}

/** Numbers worth proposing besides the default, by rule and property. */
const NUMBER_SUGGESTIONS: Record<string, number[]> = {
    'PowerKind.order': [2, 3],
    'StopProperty.threshold': [1e-6],
};

export class EmnCompletionProvider extends DefaultCompletionProvider {
    /**
     * The completion parser's error recovery recurses per consecutive error, so a block of
     * thousands of bad tokens overflows the stack; offer nothing there rather than fail the request.
     */
    override async getCompletion(
        document: LangiumDocument,
        params: CompletionParams,
        cancelToken?: CancellationToken,
    ): Promise<CompletionList | undefined> {
        try {
            return await super.getCompletion(document, params, cancelToken);
        } catch (err) {
            if (err instanceof RangeError) return { isIncomplete: false, items: [] };
            throw err;
        }
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (GrammarAST.isRuleCall(next.feature) && next.feature.rule.ref?.name === 'NUMBER') {
            return this.completionForNumber(context, next, acceptor);
        }
        return super.completionFor(context, next, acceptor);
    }

    protected override completionForKeyword(
        context: CompletionContext,
        keyword: GrammarAST.Keyword,
        acceptor: CompletionAcceptor,
    ): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword) || !this.keywordFits(context, keyword)) return;
        const snippet = SNIPPETS[keyword.value];
        const documentation = keywordDocumentation(keyword);
        acceptor(context, {
            label: keyword.value,
            kind: snippet ? CompletionItemKind.Snippet : this.getKeywordCompletionItemKind(keyword),
            detail: snippet?.detail ?? 'Keyword',
            documentation: documentation ? { kind: 'markdown', value: documentation } : undefined,
            insertText: snippet?.snippet,
            insertTextFormat: snippet ? InsertTextFormat.Snippet : undefined,
            sortText: '1',
        });
    }

    /**
     * Keywords the grammar allows but the validator would reject here: a property the declaration
     * already has, a second operation kind, `binary` for vectors, an option of the other optimiser.
     */
    protected keywordFits(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name;
        if (!rule) return true;
        if (keyword.value === 'binary') return !hasAncestor(context.node, 'VectorsProperty');
        if (rule === 'SweepName') {
            // the names of the swept parameter only: `sweep activation [` offers none, relu, tanh
            const parameter = (ancestor(context.node, 'SweepAxis') as { parameter?: string } | undefined)?.parameter;
            return NAMED_SWEEP_VALUES[parameter as SweepParameter]?.includes(keyword.value) ?? false;
        }
        if (rule === 'OptimizerOptionName') {
            const optimizer = ancestor(context.node, 'SgdOptimizer') ?? ancestor(context.node, 'AdamOptimizer');
            if (!optimizer) return true;
            const allowed: readonly string[] = OPTIMIZER_OPTIONS[optimizer.$type as keyof typeof OPTIMIZER_OPTIONS].options;
            const given = ((optimizer as unknown as { options: Array<{ name: string }> }).options ?? []).map(o => o.name);
            return allowed.includes(keyword.value) && !given.includes(keyword.value);
        }
        const isPropertyStart = (rule.endsWith('Property') || KIND_TYPES.has(rule)) && firstKeyword(keyword);
        if (!isPropertyStart || REPEATABLE.has(rule)) return true;
        const declaration =
            ancestor(context.node, 'Operation') ?? ancestor(context.node, 'Network') ?? ancestor(context.node, 'Experiment');
        const properties = (declaration as unknown as { properties?: AstNode[] } | undefined)?.properties ?? [];
        // the property under the cursor is being rewritten: it does not count as present
        const others = properties.filter(p => !p.$cstNode || context.offset < p.$cstNode.offset || context.offset > p.$cstNode.end);
        if (KIND_TYPES.has(rule)) return !others.some(p => KIND_TYPES.has(p.$type));
        return !others.some(p => p.$type === rule);
    }

    /** A number is expected: propose the property's default (and a few meaningful values). */
    protected completionForNumber(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): void {
        const rule = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule);
        const assignment = AstUtils.getContainerOfType(next.feature, GrammarAST.isAssignment);
        if (!rule) return;
        const values = new Set<string>();
        const fallback = defaultValueText(rule.name);
        if (fallback !== undefined && /^-?[\d.]+(e-?\d+)?$/.test(fallback)) values.add(fallback);
        for (const v of NUMBER_SUGGESTIONS[`${rule.name}.${assignment?.feature}`] ?? []) values.add(String(v));
        let i = 0;
        for (const value of values) {
            acceptor(context, {
                label: value,
                kind: CompletionItemKind.Value,
                detail: value === fallback ? 'default' : 'value',
                sortText: `0${i++}`,
            });
        }
    }
}

/** The grammar's JSDoc on a keyword, as markdown. */
function keywordDocumentation(keyword: GrammarAST.Keyword): string | undefined {
    const comment = (keyword as { $comment?: string }).$comment;
    return comment && isJSDoc(comment) ? parseJSDoc(comment).toMarkdown() : undefined;
}
