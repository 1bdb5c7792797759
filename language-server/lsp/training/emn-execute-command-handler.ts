// Executes the ServerCommands (train, trainAll, cancel) by handing them to the TrainingService of the spec's language.
import { URI } from 'langium';
import { AbstractExecuteCommandHandler, type ExecuteCommandAcceptor, type LangiumSharedServices } from 'langium/lsp';
import { ServerCommands, type TrainCommandResult } from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import type { TrainingService } from './training-service.js';

export class EmnExecuteCommandHandler extends AbstractExecuteCommandHandler {
    // The handler is a shared service created before the language services: look them up per call.
    constructor(protected readonly shared: LangiumSharedServices) {
        super();
    }

    override registerCommands(accept: ExecuteCommandAcceptor): void {
        accept(ServerCommands.train, args =>
            this.withService(args, (s, uri) => {
                const experiment: unknown = args[1];
                if (typeof experiment !== 'string')
                    return { experiments: [], reason: 'bad-arguments', message: `${ServerCommands.train} needs [uri, experiment]` };
                return s.train(uri, experiment);
            }),
        );
        accept(ServerCommands.trainOnSlurm, args =>
            this.withService(args, (s, uri) => {
                const experiment: unknown = args[1];
                if (typeof experiment !== 'string')
                    return { experiments: [], reason: 'bad-arguments', message: `${ServerCommands.trainOnSlurm} needs [uri, experiment]` };
                return s.trainOnSlurm(uri, experiment);
            }),
        );
        accept(ServerCommands.trainAll, args => this.withService(args, (s, uri) => s.trainAll(uri)));
        accept(ServerCommands.cancel, args =>
            this.withService(args, (s, uri) => s.cancel(uri, typeof args[1] === 'string' ? args[1] : undefined)),
        );
    }

    protected async withService(
        args: unknown[],
        f: (service: TrainingService, uri: string) => TrainCommandResult | Promise<TrainCommandResult>,
    ): Promise<TrainCommandResult> {
        const uri = args[0];
        if (typeof uri !== 'string')
            return { experiments: [], reason: 'bad-arguments', message: "the first argument must be the spec's URI" };
        let services: EmnServices;
        try {
            services = this.shared.ServiceRegistry.getServices(URI.parse(uri)) as EmnServices;
        } catch {
            return { experiments: [], reason: 'bad-arguments', message: `${uri} is not an .emn spec` };
        }
        return f(services.training.TrainingService, uri);
    }
}
