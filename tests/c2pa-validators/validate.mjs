// Validates a C2PA manifest with an independent implementation from the npm registry and prints
// one JSON object: { validator, valid, trusted, codes: [...failure and success codes] }.
//
//   node validate.mjs c2pa-ts|toolkit|c2pa-wasm FILE MIME [--sidecar F.c2pa] [--trust ROOT.pem]
//
// c2pa-ts: @trustnxt/c2pa-ts (pure TypeScript). toolkit: an older WebAssembly build of the
// reference implementation (c2pa-rs) shipped by @contentauth/toolkit. c2pa-wasm: a current one
// (@contentauth/c2pa-wasm, spec 2.4), whose Reader.fromBytes runs without a browser; it has no
// sidecar entry point, so it checks embedded manifests only.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const [validator, file, mime, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const sidecar = option('--sidecar');
const trust = option('--trust');
if (!validator || !file || !mime) {
  console.error('usage: node validate.mjs c2pa-ts|toolkit|c2pa-wasm FILE MIME [--sidecar F] '
                + '[--trust PEM]');
  process.exit(2);
}
const asset = fs.readFileSync(file);

async function withC2paTs() {
  const { BMFF, JPEG } = await import('@trustnxt/c2pa-ts/asset');
  const { SuperBox } = await import('@trustnxt/c2pa-ts/jumbf');
  const { ManifestStore, ValidationResult } = await import('@trustnxt/c2pa-ts/manifest');
  // It reads only HEIF brands as BMFF unless told about MP4's.
  for (const b of ['isom', 'mp41', 'mp42', 'avc1', 'iso2', 'iso4', 'iso5', 'iso6'])
    BMFF.canReadBrands.add(b);

  let result;
  try {
    let jumbf;
    let target;
    if (sidecar) {
      jumbf = fs.readFileSync(sidecar);
      target = undefined;
    } else {
      target = JPEG.canRead(asset) ? new JPEG(asset) : new BMFF(asset);
      jumbf = target.getManifestJUMBF();
    }
    const store = ManifestStore.read(SuperBox.fromBuffer(jumbf));
    if (sidecar) {
      // c2pa-ts has no sidecar entry point; a data hash over the asset is checked by giving it
      // the asset through a minimal Asset that holds no embedded manifest.
      target = {
        getDataLength: () => asset.length,
        getDataRange: (start, length) => asset.subarray(start ?? 0,
          length === undefined ? undefined : (start ?? 0) + length),
        getManifestJUMBF: () => undefined,
        getHashExclusionRange: () => ({ start: 0, length: 0 }),
        hashable: async () => [{ start: 0, length: asset.length }],
      };
    }
    result = await store.validate(target);
  } catch (e) {
    result = ValidationResult.fromError(e);
  }
  const codes = result.statusEntries.map((e) => e.code);
  const trusted = codes.includes('signingCredential.trusted');
  print({ validator: 'c2pa-ts 0.9.4', valid: result.isValid, trusted, codes,
          failures: result.statusEntries.filter((e) => !e.success)
            .map((e) => `${e.code}${e.explanation ? ': ' + e.explanation : ''}`) });
}

async function withToolkit() {
  const require = createRequire(import.meta.url);
  const toolkit = await import('@contentauth/toolkit');
  const wasm = fs.readFileSync(require.resolve('c2pa/dist/assets/wasm/toolkit_bg.wasm'));
  toolkit.initSync({ module: wasm });
  const settings = trust
    ? JSON.stringify({ trust: { trust_anchors: fs.readFileSync(trust, 'utf8') },
                       verify: { verify_trust: true } })
    : JSON.stringify({ verify: { verify_trust: false } });
  let report;
  let codes = [];
  let failures = [];
  let failureCodes = [];
  let active;
  try {
    report = sidecar
      ? await toolkit.getManifestStoreFromManifestAndAsset(fs.readFileSync(sidecar), asset, mime,
                                                           settings)
      : await toolkit.getManifestStoreFromArrayBuffer(asset, mime, settings);
    const store = report.manifest_store ?? {};
    const results = store.validation_results?.activeManifest;
    const entries = results
      ? [...(results.success ?? []), ...(results.informational ?? []), ...(results.failure ?? [])]
      : [];
    codes = entries.map((s) => s.code);
    failures = (results?.failure ?? store.validation_status ?? [])
      .map((s) => `${s.code}${s.explanation ? ': ' + s.explanation : ''}`);
    failureCodes = (results?.failure ?? store.validation_status ?? []).map((s) => s.code);
    active = store.active_manifest;
  } catch (e) {
    codes = ['general.error'];
    failureCodes = codes;
    failures = [String(e?.message ?? e)];
  }
  // Valid: no failure but an untrusted signer; trusted: the signer chains to the given anchor.
  const valid = report !== undefined && active !== undefined
    && failureCodes.filter((c) => c !== 'signingCredential.untrusted').length === 0;
  print({ validator: 'c2pa 0.30.17 + @contentauth/toolkit 0.13.14', valid,
          trusted: valid && codes.includes('signingCredential.trusted'), codes, failures,
          active });
}

async function withC2paWasm() {
  if (sidecar) {
    console.error('c2pa-wasm reads embedded manifests only');
    process.exit(2);
  }
  const require = createRequire(import.meta.url);
  const c2pa = await import('@contentauth/c2pa-wasm');
  c2pa.initSync({ module: fs.readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
  const context = trust
    ? JSON.stringify({ trust: { trust_anchors: fs.readFileSync(trust, 'utf8') },
                       verify: { verify_trust: true } })
    : JSON.stringify({ verify: { verify_trust: true } });
  let store;
  try {
    const reader = await c2pa.WasmReader.fromBytes(mime, new Uint8Array(asset), context);
    store = JSON.parse(reader.json());
  } catch (e) {
    print({ validator: 'c2pa-wasm 0.13.3', valid: false, trusted: false, codes: ['general.error'],
            failures: [String(e?.message ?? e)] });
    return;
  }
  const results = store.validation_results?.activeManifest ?? {};
  const entries = [...(results.success ?? []), ...(results.informational ?? []),
                   ...(results.failure ?? [])];
  const ingredients = (store.validation_results?.ingredientDeltas ?? [])
    .flatMap((d) => [...(d.validationDeltas?.success ?? []), ...(d.validationDeltas?.failure ?? [])]);
  // validation_state is the implementation's own verdict: Invalid, Valid or Trusted.
  const state = store.validation_state;
  print({ validator: 'c2pa-wasm 0.13.3', state, valid: state === 'Valid' || state === 'Trusted',
          trusted: state === 'Trusted',
          codes: [...entries, ...ingredients].map((e) => e.code),
          failures: (results.failure ?? []).map((e) => `${e.code}: ${e.explanation}`),
          active: store.active_manifest });
}

function print(o) {
  console.log(JSON.stringify(o));
}

if (validator === 'c2pa-ts') await withC2paTs();
else if (validator === 'toolkit') await withToolkit();
else if (validator === 'c2pa-wasm') await withC2paWasm();
else {
  console.error(`unknown validator ${validator}`);
  process.exit(2);
}
