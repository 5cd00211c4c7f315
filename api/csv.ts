import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';

/**
 * CSV for spreadsheets: RFC 4180 quoting by csv-stringify, a UTF-8 byte-order mark so that Excel reads accents
 * (Sénégal, Côte d'Ivoire) right, and text cells that a spreadsheet would run as a formula (=, +, -, @ …) prefixed
 * with an apostrophe — titles are written by partners, and a CSV opened by the Secretariat must not run them.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null;
}

/** Streams rows as CSV; memory stays constant however many rows come, since rows are pulled as the client reads. */
export function csvStream<Row>(columns: Array<CsvColumn<Row>>, rows: AsyncIterable<Row> | Iterable<Row>): Readable {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: columns.map((column) => column.header),
    cast: { string: neutralizeFormula, boolean: (value) => (value ? 'true' : 'false') },
  });
  const records = Readable.from(
    (async function* () {
      for await (const row of rows) yield columns.map((column) => column.value(row) ?? '');
    })(),
  );
  records.on('error', (error) => stringifier.destroy(error));
  return records.pipe(stringifier);
}

export const csvFilename = (name: string, now = new Date()): string => `attachment; filename="${name}-${now.toISOString().slice(0, 10)}.csv"`;
