/** Share of the machine's memory (or of the cgroup limit) that a run may use by default. */
export declare const DEFAULT_SHARE: number;
/** Bytes of a size such as `8GiB`, `512M`, `1.5g`, `1000000`; null if it is not one. */
export declare function parseSize(text: string): number | null;
/** The default budget: a share of the machine's memory, or of the cgroup limit if lower. */
export declare function defaultBudget(): number;
/** The value of `--memory` in raw arguments (`--memory X` or `--memory=X`), if given. */
export declare function memoryArg(argv: readonly string[]): string | undefined;
