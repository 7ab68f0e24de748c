/** The plugin's command line as the engine writes it. */

/** The engine's address: the last argument that is not a flag or a flag's value (`--tracing <endpoint>`, `-v=9`, `--logtostderr`). */
export function engineAddress(args: string[]): string | undefined {
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--tracing" || a === "-tracing" || a === "--root" || a === "-root") i++;
        else if (!a.startsWith("-")) positional.push(a);
    }
    return positional[positional.length - 1];
}
