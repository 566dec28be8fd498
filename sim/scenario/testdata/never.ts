// A scenario whose `sometimes` condition no schedule reaches: explore exits 3.
import type { Os } from "ipcsim";

export default async function main(os: Os) {
  await os.pipe();
  os.sometimes(false, "impossible");
}
