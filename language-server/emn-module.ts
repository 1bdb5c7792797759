// The Langium dependency-injection module of the .emn language: every service of the language server is wired here.
import type { Module } from 'langium';
import { inject } from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices,
    type PartialLangiumSharedServices,
} from 'langium/lsp';
import { EmnGeneratedModule, EmnGeneratedSharedModule } from './generated/module.js';
import { EmnDocumentValidator } from './parser/emn-document-validator.js';
import { EmnLexerErrorMessageProvider } from './parser/emn-lexer-messages.js';
import { EmnParserErrorMessageProvider } from './parser/emn-parser-messages.js';
import { SafeLangiumDocumentFactory } from './parser/safe-document-factory.js';
import { EmnDocumentBuilder } from './references/emn-document-builder.js';
import { EmnLinker } from './references/emn-linker.js';
import { EmnScopeProvider } from './references/emn-scope-provider.js';
import { ImportResolver } from './references/import-resolver.js';
import { MatrixFiles, registerMatrixFiles } from './references/matrix-files.js';
import { EmnValidator, registerValidationChecks } from './validation/emn-validator.js';
import { EmnCodeActionProvider } from './lsp/emn-code-actions.js';
import { EmnCompletionProvider } from './lsp/emn-completion-provider.js';
import { EmnFormatter } from './lsp/emn-formatter.js';
import { EmnNameProvider } from './lsp/emn-name-provider.js';
import { EmnSemanticTokenProvider } from './lsp/emn-semantic-token-provider.js';
import { EmnCodeLensProvider } from './lsp/training/emn-code-lens-provider.js';
import { EmnExecuteCommandHandler } from './lsp/training/emn-execute-command-handler.js';
import { EmnInlayHintProvider } from './lsp/training/emn-inlay-hint-provider.js';
import type { TrainingEngine } from './lsp/training/training-engine.js';
import { createNodeTrainingEngine } from './lsp/training/node-training-engine.js';
import { TrainingPlans } from './lsp/training/training-plans.js';
import { EmnTrainingHoverProvider } from './lsp/training/emn-training-hover-provider.js';
import { registerTrainingDiagnostics } from './lsp/training/training-diagnostics.js';
import { registerResultsStateNotifier } from './lsp/training/results-state-notifier.js';
import { TrainingOutcomes } from './lsp/training/training-outcomes.js';
import { TrainingRunQueue } from './lsp/training/training-run-queue.js';
import { TrainingSettingsProvider } from './lsp/training/training-settings-provider.js';
import { TrainingService } from './lsp/training/training-service.js';
import { TrainingViewRefresher } from './lsp/training/training-view-refresher.js';
import { SlurmSweeps } from './lsp/training/slurm-sweeps.js';

/** Services the .emn language adds to Langium's defaults. */
export type EmnAddedServices = {
    references: {
        ImportResolver: ImportResolver;
        /** The Matrix Market files operations name (`matrix "file.mtx"`), read when a spec is built. */
        MatrixFiles: MatrixFiles;
    };
    validation: {
        EmnValidator: EmnValidator;
    };
    training: {
        /** Compiles, trains and stores; tests swap it by overriding this service (see createEmnServices). */
        TrainingEngine: TrainingEngine;
        Settings: TrainingSettingsProvider;
        Plans: TrainingPlans;
        Runs: TrainingRunQueue;
        Outcomes: TrainingOutcomes;
        Views: TrainingViewRefresher;
        /** Sweeps running as Slurm job arrays (issue 9). */
        Slurm: SlurmSweeps;
        TrainingService: TrainingService;
    };
};

export type EmnServices = LangiumServices & EmnAddedServices;

const EmnModule: Module<EmnServices, PartialLangiumServices & EmnAddedServices> = {
    parser: {
        // syntax errors in the language's words, with the fix they name (issue 10)
        ParserErrorMessageProvider: () => new EmnParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new EmnLexerErrorMessageProvider(),
    },
    validation: {
        EmnValidator: services => new EmnValidator(services),
        DocumentValidator: services => new EmnDocumentValidator(services),
    },
    references: {
        // only declarations are symbols (not optimiser options, whose property is also called `name`)
        NameProvider: () => new EmnNameProvider(),
        // each file its own namespace, plus the files it imports (issue 10)
        ScopeProvider: services => new EmnScopeProvider(services),
        Linker: services => new EmnLinker(services),
        ImportResolver: services => new ImportResolver(services.shared),
        MatrixFiles: services => new MatrixFiles(services),
    },
    lsp: {
        // language features (issue 2): quick fixes, completion of values, formatting, hovers with resolved values, highlighting
        CodeActionProvider: services => new EmnCodeActionProvider(services),
        CompletionProvider: services => new EmnCompletionProvider(services),
        Formatter: () => new EmnFormatter(),
        // training (issue 4): the hover adds learned weights; lenses and hints show runs and results
        HoverProvider: services => new EmnTrainingHoverProvider(services),
        CodeLensProvider: services => new EmnCodeLensProvider(services),
        InlayHintProvider: services => new EmnInlayHintProvider(services),
        SemanticTokenProvider: services => new EmnSemanticTokenProvider(services),
    },
    training: {
        // created on first use: `emn check` validates without ever building the training engine
        TrainingEngine: () => createNodeTrainingEngine(),
        Settings: services => new TrainingSettingsProvider(services),
        Plans: services => new TrainingPlans(services),
        Runs: services => new TrainingRunQueue(services),
        Outcomes: services => new TrainingOutcomes(services),
        Views: services => new TrainingViewRefresher(services),
        Slurm: services => new SlurmSweeps(services),
        TrainingService: services => new TrainingService(services),
    },
};

/** Shared services the .emn language replaces: the server executes the training commands. */
const EmnSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    lsp: {
        ExecuteCommandHandler: shared => new EmnExecuteCommandHandler(shared),
    },
    workspace: {
        LangiumDocumentFactory: shared => new SafeLangiumDocumentFactory(shared),
        DocumentBuilder: shared => new EmnDocumentBuilder(shared),
    },
};

/** Replaces some of the language's services (tests: another TrainingEngine). */
export type EmnModuleOverride = Module<EmnServices, Partial<{ [K in keyof EmnServices]: Partial<EmnServices[K]> }>>;

/**
 * Creates the shared and language services; `context.fileSystemProvider` decides node or in-memory files, and
 * `override` replaces services of the language (applied last, as Langium's own tests do).
 */
export function createEmnServices(
    context: DefaultSharedModuleContext,
    override?: EmnModuleOverride,
): {
    shared: LangiumSharedServices;
    Emn: EmnServices;
} {
    const shared = inject(createDefaultSharedModule(context), EmnGeneratedSharedModule, EmnSharedModule);
    const Emn = inject(createDefaultModule({ shared }), EmnGeneratedModule, EmnModule, override ?? {});
    shared.ServiceRegistry.register(Emn);
    registerMatrixFiles(Emn);
    registerValidationChecks(Emn);
    registerTrainingDiagnostics(Emn);
    registerResultsStateNotifier(Emn);
    if (!context.connection) {
        // without a client nobody triggers the build; load the (empty) workspace so documents can be built
        void shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Emn };
}
