// A table written once and then sealed with mprotect, as programs guard data that must not
// change (a page of constants, a configuration read by workers): the parent fills a shared
// mapping and makes it PROT_READ; a reader sees the table, and a worker that stores into it is
// killed by SIGSEGV before a byte changes. The parent unseals one page to update it (its own
// write access only: the mapping splits there) and seals it again (the pieces merge back).
//
//   npx ipcsim run examples/sealed-table.ts

import {
  MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, type Os,
} from "ipcsim";

const PAGE = 4096;
/** The vandal's death is the point of the example. */
export const expect = { signals: ["SIGSEGV"] } as const;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

export default async function main(os: Os) {
  const table = await os.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
  await os.store(table, "rate=10");
  await os.store(table + PAGE, "name=ipcsim");
  await os.mprotect(table, 2 * PAGE, PROT_READ); // sealed
  const reader = await os.fork(async (os) => {
    const seen = text(await os.load(table, 7));
    os.assert(seen === "rate=10" || seen === "rate=20", `read ${JSON.stringify(seen)}`);
  });
  const vandal = await os.fork(async (os) => {
    await os.store(table, "rate=99"); // SIGSEGV: the page is read-only
  });
  const { status } = await os.waitpid(vandal);
  os.assert(status !== undefined && "signaled" in status && status.signaled === "SIGSEGV",
    `the vandal ended ${JSON.stringify(status)}`);
  // An update: the first page writable for a moment, then sealed again.
  await os.mprotect(table, PAGE, PROT_READ | PROT_WRITE);
  await os.store(table, "rate=20");
  await os.mprotect(table, PAGE, PROT_READ);
  await os.waitpid(reader);
  os.assert(text(await os.load(table + PAGE, 11)) === "name=ipcsim", "the second page changed");
  await os.munmap(table, 2 * PAGE);
}
