/** A size as people read it: "64 KiB", "20 MiB", "1.5 MiB". */
export function byteSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
