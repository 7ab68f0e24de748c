/** The most timestamps (ms) that fall in any window of `windowMs`: what a rate limit per window counts. */
export function maxInWindow(times: number[], windowMs: number): number {
    const t = [...times].sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < t.length; j++) {
        while (t[j] - t[i] >= windowMs) i++;
        best = Math.max(best, j - i + 1);
    }
    return best;
}
