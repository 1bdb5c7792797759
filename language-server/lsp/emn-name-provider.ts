// Names: only operations, networks and experiments are named things; an optimiser option's `name` (lr, momentum) is a keyword, not a
// symbol.
import { DefaultNameProvider, type AstNode, type CstNode } from 'langium';

const NAMED_TYPES = new Set(['Operation', 'Network', 'Experiment']);

export class EmnNameProvider extends DefaultNameProvider {
    override getName(node: AstNode): string | undefined {
        return NAMED_TYPES.has(node.$type) ? super.getName(node) : undefined;
    }

    override getNameNode(node: AstNode): CstNode | undefined {
        return NAMED_TYPES.has(node.$type) ? super.getNameNode(node) : undefined;
    }
}
