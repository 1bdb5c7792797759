// Linking in the language's words: an unresolved name says what it is or what is close; a name two imports declare is ambiguous.
import { AstUtils, DefaultLinker, type AstNodeDescription, type IndexManager, type LinkingError, type ReferenceInfo } from 'langium';
import type { EmnServices } from '../emn-module.js';
import { withArticle } from '../language-facts.js';
import { closeNames } from '../name-suggestions.js';
import type { EmnScopeProvider } from './emn-scope-provider.js';
import { relativePath } from './import-resolver.js';

/** What each reference expects, said as the language says it. */
const REFERENCE_ROLES: Record<string, string> = {
    'LearnProperty.operation': '`learn` takes an operation first: learn Op with Net',
    'LearnProperty.network': '`with` takes a network: learn Op with Net',
    'EvaluateProperty.operation': '`evaluate N samples on` takes an operation (or `pool`)',
};

export class EmnLinker extends DefaultLinker {
    protected readonly index: IndexManager;
    protected readonly emnScopes: EmnScopeProvider;

    constructor(services: EmnServices) {
        super(services);
        this.index = services.shared.workspace.IndexManager;
        this.emnScopes = services.references.ScopeProvider as EmnScopeProvider;
    }

    /** A local declaration wins; otherwise the name must come from exactly one imported file. */
    override getCandidate(refInfo: ReferenceInfo): AstNodeDescription | LinkingError {
        const name = refInfo.reference.$refText;
        const candidates = this.scopeProvider.getScope(refInfo).getElements(name).toArray();
        if (candidates.length === 0) return this.createLinkingError(refInfo);
        if (candidates.length === 1) return candidates[0];
        const document = AstUtils.getDocument(refInfo.container);
        const files = candidates.map(c => `${relativePath(document.uri, c.documentUri)}:${(c.nameSegment?.range.start.line ?? 0) + 1}`);
        return {
            info: refInfo,
            message:
                `${name} is ambiguous: it is declared in ${files.slice(0, -1).join(', ')} and ${files.at(-1)}, both imported; ` +
                `rename one, or declare ${name} in this file (a local declaration wins)`,
        };
    }

    protected override createLinkingError(refInfo: ReferenceInfo, targetDescription?: AstNodeDescription): LinkingError {
        return { info: refInfo, message: this.unresolvedMessage(refInfo), targetDescription };
    }

    /** "Net is a network; `learn` takes an operation first: ...", "no operation Matvec2 here; did you mean Matvec20?" */
    protected unresolvedMessage(refInfo: ReferenceInfo): string {
        const name = refInfo.reference.$refText;
        const wanted = this.reflection.getReferenceType(refInfo);
        const kind = wanted.toLowerCase();
        const role = REFERENCE_ROLES[`${refInfo.container.$type}.${refInfo.property}`];
        const document = AstUtils.getDocument(refInfo.container);
        const visible = this.emnScopes.visibleDeclarations(document);
        const other = visible.find(d => d.name === name);
        if (other)
            return `${name} is ${withArticle(other.type.toLowerCase())}` + (role ? `; ${role}` : `; this needs ${withArticle(kind)}`);
        const elsewhere = this.index.allElements(wanted).find(d => d.name === name && d.documentUri.toString() !== document.uri.toString());
        if (elsewhere) {
            const path = relativePath(document.uri, elsewhere.documentUri);
            return `${name} is declared in ${path}, which this file does not import: add \`import "${path}"\` at the top`;
        }
        const close = closeNames(
            name,
            visible.filter(d => this.reflection.isSubtype(d.type, wanted)).map(d => d.name),
        );
        if (close.length > 0) {
            return `no ${kind} named ${name} in this file or its imports; did you mean ${close.map(c => `\`${c}\``).join(' or ')}?`;
        }
        return `no ${kind} named ${name} in this file or its imports: declare it (\`${kind} ${name} { ... }\`) or import the file that does`;
    }
}
