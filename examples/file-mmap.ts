// Two processes share a file through mmap, as Python's mmap tutorial does (a writer maps
// "shared.dat" with MAP_SHARED and writes through the mapping; a second process opens the same
// file and reads it). On tmpfs the mapping is the file's page cache, so the writer's store is
// what the reader's read() returns at once, with no msync; msync is called anyway, as portable
// code does. The reader also maps the file and sees the same bytes through its own mapping.
//
//   npx ipcsim run examples/file-mmap.ts

import {
  MAP_SHARED, MS_SYNC, O_CREAT, O_RDONLY, O_RDWR, PROT_READ, PROT_WRITE, type Os,
} from "ipcsim";

const SIZE = 1024;
const MESSAGE = "hello from the writer";

export default async function main(os: Os) {
  const writer = await os.fork(async (os) => {
    const fd = await os.open("shared.dat", O_CREAT | O_RDWR, 0o644);
    await os.ftruncate(fd, SIZE); // a mapping past the end of a file is SIGBUS
    const map = await os.mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    await os.close(fd); // the mapping keeps the file
    await os.store(map, MESSAGE);
    await os.msync(map, SIZE, MS_SYNC);
    await os.munmap(map, SIZE);
  });
  await os.waitpid(writer);
  const reader = await os.fork(async (os) => {
    const fd = await os.open("shared.dat", O_RDONLY);
    const text = new TextDecoder().decode(await os.read(fd, MESSAGE.length));
    os.assert(text === MESSAGE, `read ${JSON.stringify(text)}`);
    const map = await os.mmap(0, SIZE, PROT_READ, MAP_SHARED, fd, 0);
    const seen = new TextDecoder().decode(await os.load(map, MESSAGE.length));
    os.assert(seen === MESSAGE, `loaded ${JSON.stringify(seen)}`);
    await os.munmap(map, SIZE);
    await os.close(fd);
  });
  await os.waitpid(reader);
  await os.unlink("shared.dat");
}
