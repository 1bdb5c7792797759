// Semantic highlighting: declaration names and references by kind, numbers, property keywords and enum-like values.
import type { AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';

/** Token type of a declaration's name, and of references to it. */
const NAME_TYPES: Record<string, SemanticTokenTypes> = {
    Operation: SemanticTokenTypes.type,
    Network: SemanticTokenTypes.class,
    Experiment: SemanticTokenTypes.namespace,
};

/** Properties whose value is one word from a fixed set (highlighted as enum members). */
const ENUM_PROPERTIES: Record<string, string> = {
    PruningProperty: 'mode',
    ActivationProperty: 'function',
    WeightsProperty: 'mode',
    ArchitectureProperty: 'kind',
    MetaEpochSchedule: 'order',
};
/** Value nodes that are a keyword standing for a choice (binary, joint, sgd, ...). */
const ENUM_NODES: Record<string, string> = {
    BinaryDistribution: 'binary',
    UniformDistribution: 'uniform',
    NormalDistribution: 'normal',
    JointSchedule: 'joint',
    SgdOptimizer: 'sgd',
    AdamOptimizer: 'adam',
    MatvecKind: 'matvec',
    PowerKind: 'power',
    PolynomialKind: 'polynomial',
};
/** Numeric properties by AST type. */
const NUMBER_PROPERTIES: Record<string, string[]> = {
    PowerKind: ['order'],
    PolynomialKind: ['coefficients'],
    SizeProperty: ['value'],
    SparsityProperty: ['value'],
    UniformDistribution: ['low', 'high'],
    NormalDistribution: ['mean', 'std'],
    WidthProperty: ['value'],
    HiddenProperty: ['sizes'],
    DepthProperty: ['value'],
    MaskingProperty: ['value'],
    OptimizerOption: ['value'],
    BatchProperty: ['value'],
    StepsProperty: ['value'],
    StopProperty: ['threshold'],
    MetaEpochSchedule: ['metaEpochs', 'masks', 'stepsPerMask'],
    SeedProperty: ['value'],
    SeedsProperty: ['value'],
    PoolProperty: ['value'],
    EvaluateProperty: ['samples'],
    SweepAxis: ['values'],
};

export class EmnSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const record = node as unknown as Record<string, unknown>;
        const nameType = NAME_TYPES[node.$type];
        if (nameType) {
            acceptor({ node, property: 'name', type: nameType, modifier: SemanticTokenModifiers.declaration });
            return;
        }
        if (node.$type === 'LearnProperty') {
            acceptor({ node, property: 'operation', type: NAME_TYPES.Operation });
            acceptor({ node, property: 'network', type: NAME_TYPES.Network });
        }
        if (node.$type === 'EvaluateProperty' && record.operation) {
            acceptor({ node, property: 'operation', type: NAME_TYPES.Operation });
        }
        // a property's leading keyword (size, width, learn, ...) reads as a property name
        if (node.$type.endsWith('Property') && node.$cstNode) {
            const keyword = node.$cstNode.text.match(/^[A-Za-z]\w*/)?.[0];
            if (keyword) acceptor({ node, keyword, type: SemanticTokenTypes.property });
        }
        const enumProperty = ENUM_PROPERTIES[node.$type];
        if (enumProperty && record[enumProperty] !== undefined) {
            acceptor({ node, property: enumProperty, type: SemanticTokenTypes.enumMember });
        }
        const enumKeyword = ENUM_NODES[node.$type];
        if (enumKeyword) acceptor({ node, keyword: enumKeyword, type: SemanticTokenTypes.enumMember });
        if (node.$type === 'OptimizerOption') acceptor({ node, property: 'name', type: SemanticTokenTypes.parameter });
        if (node.$type === 'SweepAxis') acceptor({ node, property: 'parameter', type: SemanticTokenTypes.property });
        for (const property of NUMBER_PROPERTIES[node.$type] ?? []) {
            const value = record[property];
            const count = Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
            for (let index = 0; index < count; index++) {
                acceptor({ node, property: property, index: Array.isArray(value) ? index : undefined, type: SemanticTokenTypes.number });
            }
        }
    }
}
