// A live partition from the selection: the selected nodes of the running scenario against all
// the others. Null when either side would be empty (nothing to cut off).
export function partitionGroups(selected: readonly string[], runNodes: readonly string[]): [string[], string[]] | null {
  const chosen = new Set(selected);
  const inside = runNodes.filter((id) => chosen.has(id));
  const rest = runNodes.filter((id) => !chosen.has(id));
  return inside.length && rest.length ? [inside, rest] : null;
}
