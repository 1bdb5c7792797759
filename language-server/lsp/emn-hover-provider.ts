// Hovers: keyword docs from the grammar's JSDoc plus the default, and summaries of declarations with every value resolved.
import { AstUtils, CstUtils, GrammarAST, type AstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { MultilineCommentHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import type * as ast from '../generated/ast.js';
import { ADAM_DEFAULTS, SGD_DEFAULTS } from '../../engine/view.js';
import { declarationSummary, defaultValueText } from './spec-summary.js';
import { errorMessage } from '../../engine/view.js';

/** Optimiser options have no rule of their own in the grammar, so their docs live here. */
const OPTION_DOCS: Record<string, string> = {
    lr: `\`lr\`: the learning rate, > 0. Default: ${SGD_DEFAULTS.lr} (sgd), ${ADAM_DEFAULTS.lr} (adam).`,
    momentum: `\`momentum\`: sgd's heavy-ball momentum, in [0, 1). Default: ${SGD_DEFAULTS.momentum}. Only for sgd.`,
    beta1: `\`beta1\`: adam's decay of the first moment, in [0, 1). Default: ${ADAM_DEFAULTS.beta1}. Only for adam.`,
    beta2: `\`beta2\`: adam's decay of the second moment, in [0, 1). Default: ${ADAM_DEFAULTS.beta2}. Only for adam.`,
    epsilon: `\`epsilon\`: adam's denominator guard, > 0. Default: ${ADAM_DEFAULTS.epsilon}. Only for adam.`,
};

const DECLARATION_TYPES = new Set(['Operation', 'Network', 'Experiment']);
/** Network properties whose hover may carry what training learned there (see getTrainingHoverContent). */
const TRAINED_NETWORK_PROPERTIES = new Set(['WidthProperty', 'DepthProperty', 'MaskingProperty']);

export class EmnHoverProvider extends MultilineCommentHoverProvider {
    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult?.value?.$cstNode;
        if (!root) return undefined;
        const offset = document.textDocument.offsetAt(params.position);
        const cstNode = CstUtils.findDeclarationNodeAtOffset(root, offset, this.grammarConfig.nameRegexp);
        if (!cstNode || cstNode.offset + cstNode.length <= offset) return undefined;

        const targets = this.references.findDeclarations(cstNode);
        if (targets.length > 0) {
            const parts: string[] = [];
            for (const target of targets) {
                // what training learned comes first: a hover is short, and the weights are what the eye came for.
                // Shown on the declaration's own name, and on the references in `learn Op with Net` (that experiment's)
                const own = target === cstNode.astNode && DECLARATION_TYPES.has(target.$type);
                const learned = own
                    ? await this.trainingContent(document, target)
                    : cstNode.astNode.$type === 'LearnProperty'
                      ? await this.trainingContent(document, cstNode.astNode, target)
                      : undefined;
                if (learned) parts.push(learned);
                const content = await this.getAstNodeHoverContent(target);
                if (content) parts.push(content);
            }
            if (parts.length > 0) return markdown(parts.join('\n\n---\n\n'));
        }
        if (GrammarAST.isKeyword(cstNode.grammarSource)) {
            return this.keywordHover(document, cstNode.grammarSource, cstNode.astNode);
        }
        // a value (`4` in `width 4`) explains itself through its property's keyword
        const property = cstNode.astNode;
        if (property.$type.endsWith('Property') && property.$cstNode) {
            const first = CstUtils.streamCst(property.$cstNode).find(n => GrammarAST.isKeyword(n.grammarSource));
            if (first && GrammarAST.isKeyword(first.grammarSource)) return this.keywordHover(document, first.grammarSource, property);
        }
        return undefined;
    }

    /** JSDoc of the keyword, then what the property resolves to: its default where omitted, or the whole declaration. */
    protected async keywordHover(document: LangiumDocument, keyword: GrammarAST.Keyword, node: AstNode): Promise<Hover | undefined> {
        const parts: string[] = [];
        const doc = await this.getKeywordHoverContent(keyword);
        if (doc && typeof doc.contents === 'object' && 'value' in doc.contents) parts.push(doc.contents.value);
        if (node.$type === 'OptimizerOption') {
            const option = OPTION_DOCS[(node as ast.OptimizerOption).name];
            if (option) parts.push(option);
        } else if (DECLARATION_TYPES.has(node.$type)) {
            // `operation`, `network`, `experiment`: show every value, the omitted ones at their defaults
            const summary = declarationSummary(node as ast.Declaration);
            if (summary) parts.push(summary);
        } else if (!parts.some(p => /\bdefault\b/i.test(p))) {
            // the default is said once: the keyword's doc says it where it has one (a test keeps the two in step)
            const fallback = defaultValueText(node.$type);
            if (fallback !== undefined) parts.push(`Default where omitted: \`${fallback}\`.`);
        }
        const trained = TRAINED_NETWORK_PROPERTIES.has(node.$type) || node.$type === 'Experiment';
        if (trained) {
            const training = await this.trainingContent(document, node);
            if (training) parts.unshift(training);
        }
        return parts.length > 0 ? markdown(parts.join('\n\n')) : undefined;
    }

    /** The summary of a declaration (resolved values, defaults included), then its own doc comment if it has one. */
    protected override getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        const parts: string[] = [];
        if (DECLARATION_TYPES.has(node.$type)) {
            const summary = declarationSummary(node as ast.Declaration);
            if (summary) parts.push(summary);
        }
        const comment = this.documentationProvider.getDocumentation(node);
        if (comment) parts.push(comment);
        return parts.length > 0 ? parts.join('\n\n') : undefined;
    }

    /** The hook's content, asked only for named declarations; a failing hook costs its part of the hover, not the hover. */
    private async trainingContent(document: LangiumDocument, node: AstNode, referenced?: AstNode): Promise<string | undefined> {
        if (!enclosingDeclaration(node)?.name) return undefined;
        try {
            return await this.getTrainingHoverContent(document, node, referenced);
        } catch (err) {
            console.error(`emn: the training part of a hover failed: ${errorMessage(err)}`);
            return undefined;
        }
    }

    /**
     * Hook for what training learned (added by the training features): markdown appended to the hover of
     * a declaration name (`node` is the Operation, Network or Experiment), of the `experiment` keyword
     * (`node` is the Experiment) and of the network properties `width`, `depth` and `masking` (`node` is the
     * WidthProperty, DepthProperty or MaskingProperty; its container is the Network), and of the references in
     * `learn Op with Net` (`node` is the LearnProperty, `referenced` the Operation or Network hovered). Return
     * undefined to add nothing (the default). Override in a subclass and register it as `lsp.HoverProvider`.
     */
    protected getTrainingHoverContent(_document: LangiumDocument, _node: AstNode, _referenced?: AstNode): Promise<string | undefined> {
        return Promise.resolve(undefined);
    }
}

function markdown(value: string): Hover {
    return { contents: { kind: 'markdown', value } };
}

/** The declaration a node belongs to (used by subclasses that look up results per declaration). */
function enclosingDeclaration(node: AstNode): ast.Declaration | undefined {
    return AstUtils.getContainerOfType(node, (n): n is ast.Declaration => DECLARATION_TYPES.has(n.$type));
}
