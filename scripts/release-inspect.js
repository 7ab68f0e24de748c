/**
 * Reads a release executable's header without running it (scripts/release.js checks every archive it
 * writes with this; tests/plugin.release.test.ts too): the format (ELF, Mach-O, PE), the CPU architecture
 * (ELF e_machine, Mach-O cputype, PE machine) and, for a Node single executable application, the
 * application blob postject injected (an ELF note, a Mach-O section `NODE_SEA,__NODE_SEA_BLOB`, a PE
 * RT_RCDATA resource, each named NODE_SEA_BLOB) with its size and Node's SEA blob magic checked, and
 * whether the SEA fuse is flipped (`NODE_SEA_FUSE_…:1`: without it Node ignores the blob).
 */
const fs = require("fs");

const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
/** The first 4 bytes of every SEA blob (node/src/node_sea.h kMagic). */
const SEA_MAGIC = 0x143da20;
const RESOURCE = "NODE_SEA_BLOB";

const ELF_MACHINES = { 62: "amd64", 183: "arm64" };
const MACHO_CPUS = { 0x01000007: "amd64", 0x0100000c: "arm64" };
const PE_MACHINES = { 0x8664: "amd64", 0xaa64: "arm64" };

const cstr = (b, at, len) => {
    const s = b.subarray(at, at + len);
    const z = s.indexOf(0);
    return s.subarray(0, z < 0 ? s.length : z).toString("latin1");
};

/** The blob found at [offset, offset + size), or undefined when it does not start with the SEA magic. */
const blobAt = (b, offset, size, where) =>
    size >= 4 && offset + size <= b.length && b.readUInt32LE(offset) === SEA_MAGIC ? { offset, size, where } : undefined;

function elf(b) {
    if (b[4] !== 2 || b[5] !== 1) throw new Error("only 64-bit little-endian ELF is expected");
    const machine = b.readUInt16LE(18);
    const phoff = Number(b.readBigUInt64LE(32));
    const phentsize = b.readUInt16LE(54);
    const phnum = b.readUInt16LE(56);
    let blob;
    for (let i = 0; i < phnum && !blob; i++) {
        const ph = phoff + i * phentsize;
        if (b.readUInt32LE(ph) !== 4) continue; // PT_NOTE
        const off = Number(b.readBigUInt64LE(ph + 8));
        const end = off + Number(b.readBigUInt64LE(ph + 32));
        const align = Math.max(4, Number(b.readBigUInt64LE(ph + 48)) || 4);
        for (let n = off; n + 12 <= end && !blob;) {
            const namesz = b.readUInt32LE(n);
            const descsz = b.readUInt32LE(n + 4);
            const name = cstr(b, n + 12, namesz);
            const desc = n + 12 + Math.ceil(namesz / align) * align;
            if (name === RESOURCE) blob = blobAt(b, desc, descsz, `ELF note ${RESOURCE}`);
            n = desc + Math.ceil(descsz / align) * align;
        }
    }
    return { format: "ELF", arch: ELF_MACHINES[machine] ?? `e_machine ${machine}`, blob };
}

function macho(b) {
    const cputype = b.readUInt32LE(4);
    const ncmds = b.readUInt32LE(16);
    let blob;
    for (let i = 0, at = 32; i < ncmds; i++) {
        const cmd = b.readUInt32LE(at);
        const size = b.readUInt32LE(at + 4);
        if (cmd === 0x19 /* LC_SEGMENT_64 */ && cstr(b, at + 8, 16) === "NODE_SEA") {
            const nsects = b.readUInt32LE(at + 64);
            for (let s = 0; s < nsects; s++) {
                const sec = at + 72 + s * 80;
                if (cstr(b, sec, 16) === `__${RESOURCE}`) {
                    blob = blobAt(
                        b,
                        b.readUInt32LE(sec + 48),
                        Number(b.readBigUInt64LE(sec + 40)),
                        `Mach-O section NODE_SEA,__${RESOURCE}`,
                    );
                }
            }
        }
        at += size;
    }
    return { format: "Mach-O", arch: MACHO_CPUS[cputype] ?? `cputype 0x${cputype.toString(16)}`, blob };
}

function pe(b) {
    const nt = b.readUInt32LE(0x3c);
    if (b.toString("latin1", nt, nt + 4) !== "PE\0\0") throw new Error("no PE signature");
    const machine = b.readUInt16LE(nt + 4);
    const nsections = b.readUInt16LE(nt + 6);
    const optSize = b.readUInt16LE(nt + 20);
    const opt = nt + 24;
    const magic = b.readUInt16LE(opt);
    const dirs = opt + (magic === 0x20b ? 112 : 96);
    const rsrcRva = b.readUInt32LE(dirs + 2 * 8);
    const sections = [];
    for (let i = 0; i < nsections; i++) {
        const s = opt + optSize + i * 40;
        sections.push({ va: b.readUInt32LE(s + 12), vsize: b.readUInt32LE(s + 8), raw: b.readUInt32LE(s + 20) });
    }
    const fileOffset = (rva) => {
        const s = sections.find((x) => rva >= x.va && rva < x.va + x.vsize);
        return s ? rva - s.va + s.raw : -1;
    };
    const base = fileOffset(rsrcRva);
    let blob;
    /** The entries of the resource directory at `dir` (an offset into .rsrc): name (string or id), child offset, is a directory. */
    const entries = (dir) => {
        const d = base + dir;
        const n = b.readUInt16LE(d + 12) + b.readUInt16LE(d + 14);
        return Array.from({ length: n }, (_, i) => {
            const e = d + 16 + i * 8;
            const nameField = b.readUInt32LE(e);
            const child = b.readUInt32LE(e + 4);
            let name = nameField;
            if (nameField & 0x80000000) {
                const at = base + (nameField & 0x7fffffff);
                name = b.toString("utf16le", at + 2, at + 2 + 2 * b.readUInt16LE(at));
            }
            return { name, child: child & 0x7fffffff, isDir: Boolean(child & 0x80000000) };
        });
    };
    if (base >= 0 && rsrcRva) {
        const rcdata = entries(0).find((e) => e.name === 10); // RT_RCDATA
        const named = rcdata && entries(rcdata.child).find((e) => e.name === RESOURCE);
        const lang = named && (named.isDir ? entries(named.child)[0] : named);
        if (lang && !lang.isDir) {
            const entry = base + lang.child;
            blob = blobAt(b, fileOffset(b.readUInt32LE(entry)), b.readUInt32LE(entry + 4), `PE resource RT_RCDATA/${RESOURCE}`);
        }
    }
    return { format: "PE", arch: PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}`, blob };
}

/**
 * What the file at `file` is: { format, arch, blob?: { offset, size, where }, fuse: "flipped" | "unflipped" | "absent" }
 * (format "script" with its first line for a launcher script).
 */
function inspectExecutable(file) {
    const b = fs.readFileSync(file);
    let info;
    if (b.readUInt32BE(0) === 0x7f454c46) info = elf(b);
    else if (b.readUInt32LE(0) === 0xfeedfacf) info = macho(b);
    else if (b.toString("latin1", 0, 2) === "MZ") info = pe(b);
    else return { format: "script", firstLine: b.toString("utf8").split(/\r?\n/)[0] };
    const i = b.indexOf(`${FUSE}:`);
    const fuse = i < 0 ? "absent" : b[i + FUSE.length + 1] === 0x31 ? "flipped" : "unflipped";
    return { ...info, fuse };
}

module.exports = { inspectExecutable, FUSE, SEA_MAGIC };
