// The Langium dependency-injection module of the .emn language: every service of the language server is wired here.
import type { Module, LangiumSharedCoreServices } from 'langium';
import { inject } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { EmnGeneratedModule, EmnGeneratedSharedModule } from './generated/module.js';
import { EmnValidator, registerValidationChecks } from './validation/emn-validator.js';

/** Services the .emn language adds to Langium's defaults. */
export type EmnAddedServices = {
    validation: {
        EmnValidator: EmnValidator
    }
};

export type EmnServices = LangiumServices & EmnAddedServices;

export const EmnModule: Module<EmnServices, PartialLangiumServices & EmnAddedServices> = {
    validation: {
        EmnValidator: () => new EmnValidator()
    }
};

/** Creates the shared and language services; `context.fileSystemProvider` decides node or in-memory files. */
export function createEmnServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices,
    Emn: EmnServices
} {
    const shared = inject(
        createDefaultSharedModule(context),
        EmnGeneratedSharedModule
    ) as LangiumSharedServices & LangiumSharedCoreServices;
    const Emn = inject(
        createDefaultModule({ shared }),
        EmnGeneratedModule,
        EmnModule
    );
    shared.ServiceRegistry.register(Emn);
    registerValidationChecks(Emn);
    if (!context.connection) {
        // without a client nobody triggers the build; load the (empty) workspace so documents can be built
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Emn };
}
