// The client's side of training: initialization options, trust, and the `emn` settings of each spec (cached until they change).
import type { Connection, InitializeParams } from 'vscode-languageserver';
import { TrustChangedNotification, type EmnInitializationOptions } from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import { normalizeUri } from '../../../engine/view.js';
import { resolveTrainingSettings, type EmnSettingsSection, type TrainingSettings } from './training-settings.js';

export class TrainingSettingsProvider {
    protected readonly services: EmnServices;
    protected trusted = true;
    protected initOptions: EmnInitializationOptions = {};
    protected canFetchConfiguration = false;
    protected readonly cache = new Map<string, Promise<TrainingSettings>>();

    constructor(services: EmnServices) {
        this.services = services;
        services.shared.lsp.LanguageServer.onInitialize(params => this.initialize(params));
        this.connection?.onNotification(TrustChangedNotification, ({ trusted }) => {
            this.trusted = trusted;
        });
        services.shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate(update => {
            this.cache.clear();
            if (update.section !== 'emn') return;
            // in the log, so a user sees when a new limit applies (the next run takes it)
            const limit = resolveTrainingSettings(update.configuration as EmnSettingsSection | undefined, {}).workerMemoryMB;
            const said = limit !== undefined ? `${limit} MB` : "Node's default";
            this.connection?.console.info(`settings changed: the next run's training workers have a heap limit of ${said}`);
        });
    }

    protected get connection(): Connection | undefined {
        return this.services.shared.lsp.Connection;
    }

    initialize(params: InitializeParams): void {
        const options = (params.initializationOptions ?? {}) as EmnInitializationOptions;
        this.initOptions = options;
        this.trusted = options.trusted !== false;
        this.canFetchConfiguration = params.capabilities.workspace?.configuration === true;
    }

    get isTrusted(): boolean {
        return this.trusted;
    }

    /** Whether the client said it can run this client-side command (initializationOptions.clientCommands). */
    clientRuns(command: string): boolean {
        return this.initOptions.clientCommands?.includes(command) ?? false;
    }

    /** The settings for one spec (cached until the client reports a change; `fresh` asks again, as a run does). */
    settingsFor(uri: string, fresh = false): Promise<TrainingSettings> {
        const key = normalizeUri(uri);
        let settings = fresh ? undefined : this.cache.get(key);
        if (!settings) {
            settings = this.fetchSettings(uri);
            this.cache.set(key, settings);
        }
        return settings;
    }

    /** The spec folder's `emn` section when the client has one, else the initialization options. */
    protected async fetchSettings(uri: string): Promise<TrainingSettings> {
        let section: EmnSettingsSection | undefined;
        if (this.canFetchConfiguration && this.connection) {
            try {
                section = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'emn' })) as EmnSettingsSection;
            } catch {
                /* a client that fails the request gets the defaults */
            }
        }
        const settings = resolveTrainingSettings(section ?? undefined, this.initOptions);
        for (const w of settings.warnings) this.connection?.console.warn(w);
        return settings;
    }
}
