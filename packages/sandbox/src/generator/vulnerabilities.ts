import type { Random } from "./random.js";

/** The distinct vulnerability ids findings draw from (popular ones more often), and the packages they hit. */
export interface VulnerabilityUniverse {
  cves: string[];
  /** Zipf weights over `cves`. */
  cumulative: number[];
}

export const PACKAGES = [
  "openssl",
  "libssl3",
  "glibc",
  "curl",
  "libcurl",
  "nginx",
  "httpd",
  "openssh",
  "sudo",
  "bash",
  "zlib",
  "expat",
  "libxml2",
  "python3",
  "perl",
  "git",
  "vim",
  "systemd",
  "kernel",
  "polkit",
  "libtiff",
  "sqlite",
  "postgresql",
  "mysql-server",
  "tomcat",
  "log4j-core",
  "jackson-databind",
  "spring-core",
  "node",
  "lodash",
  "urllib3",
  "requests",
];

export function universe(random: Random, size: number): VulnerabilityUniverse {
  const cves: string[] = [];
  const seen = new Set<string>();
  while (cves.length < size) {
    const id = `CVE-${random.int(2019, 2026)}-${random.int(1000, 49999)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    cves.push(id);
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    total += 1 / (i + 1) ** 0.7;
    cumulative.push(total);
  }
  return { cves, cumulative };
}

export function packageFor(vulnerabilityId: string, variant = 0): string {
  let h = variant * 31;
  for (let i = 0; i < vulnerabilityId.length; i++) h = (h * 33 + vulnerabilityId.charCodeAt(i)) >>> 0;
  return PACKAGES[h % PACKAGES.length] as string;
}

export function nonCveId(random: Random): string {
  return random.chance(0.6)
    ? `GHSA-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}`
    : `ALAS-${random.int(2022, 2026)}-${random.int(1000, 2999)}`;
}
