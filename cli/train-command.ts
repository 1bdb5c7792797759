// `emn train`: compiles and trains the experiments of a spec (the training engine arrives with issue 3).
export async function runTrainCommand(_args: string[]): Promise<number> {
    process.stderr.write('emn train: not available yet\n');
    return 2;
}
