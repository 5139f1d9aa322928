// Files exchanged with NumPy and PyTorch (/usr/bin/python3), both ways. The
// safetensors files on the Python side are built with json + struct, so the
// test does not need the safetensors package.
#include "io_test_util.h"

using io_test::identical;
using io_test::reference;
using io_test::run_python;
using io_test::ScratchDir;

namespace {

const char* kDtypeNames[] = {"float32", "float64", "int32", "int64", "bool"};
const kiln::ScalarType kDtypes[] = {kiln::kFloat32, kiln::kFloat64, kiln::kInt32, kiln::kInt64, kiln::kBool};

#define REQUIRE_PYTHON(modules) \
  if (!io_test::python_has(modules)) GTEST_SKIP() << "/usr/bin/python3 lacks " modules

TEST(IoInterop, NumpyWritesKilnReads) {
  REQUIRE_PYTHON("numpy");
  ScratchDir dir;
  // Every dtype x {C, Fortran} x {v1.0, v2.0} x {little, big endian}, and odd shapes.
  std::string script = std::string(io_test::kPythonReference) + R"(
import sys, os
out = sys.argv[1]
for dt in CODES:
    a = reference(dt, (2, 3, 4))
    for order in ('C', 'F'):
        for version in ((1, 0), (2, 0)):
            for endian in ('<', '>'):
                arr = np.asfortranarray(a) if order == 'F' else np.ascontiguousarray(a)
                if endian == '>' and dt != 'bool':
                    arr = arr.astype(arr.dtype.newbyteorder('>'))
                name = '%s_%s_%d%s.npy' % (dt, order, version[0], 'be' if endian == '>' else 'le')
                with open(os.path.join(out, name), 'wb') as f:
                    np.lib.format.write_array(f, arr, version=version)
    np.save(os.path.join(out, dt + '_scalar.npy'), reference(dt, ()))
    np.save(os.path.join(out, dt + '_empty.npy'), reference(dt, (0, 3)))
    np.save(os.path.join(out, dt + '_F2d.npy'), np.asfortranarray(reference(dt, (5, 3))))
)";
  ASSERT_EQ(run_python(dir, script, dir.path().string()), 0);
  for (int d = 0; d < 5; ++d) {
    kiln::Tensor want = reference(kDtypes[d], {2, 3, 4});
    for (std::string order : {"C", "F"})
      for (std::string version : {"1", "2"})
        for (std::string endian : {"le", "be"}) {
          std::string name = std::string(kDtypeNames[d]) + "_" + order + "_" + version + endian + ".npy";
          EXPECT_TRUE(identical(kiln::io::load(dir / name), want)) << name;
        }
    std::string base = dir / kDtypeNames[d];
    EXPECT_TRUE(identical(kiln::io::load(base + "_scalar.npy"), reference(kDtypes[d], {})));
    EXPECT_TRUE(identical(kiln::io::load(base + "_empty.npy"), reference(kDtypes[d], {0, 3})));
    EXPECT_TRUE(identical(kiln::io::load(base + "_F2d.npy"), reference(kDtypes[d], {5, 3})));
  }
}

TEST(IoInterop, KilnWritesNumpyAndTorchRead) {
  REQUIRE_PYTHON("numpy, torch");
  ScratchDir dir;
  std::map<std::string, kiln::Tensor> all;
  for (int d = 0; d < 5; ++d) {
    kiln::io::save(reference(kDtypes[d], {2, 3, 4}), dir / (std::string(kDtypeNames[d]) + ".npy"));
    kiln::io::save(reference(kDtypes[d], {}), dir / (std::string(kDtypeNames[d]) + "_scalar.npy"));
    all[kDtypeNames[d]] = reference(kDtypes[d], {3, 5});
  }
  kiln::io::save_npz(all, dir / "all.npz");
  std::string script = std::string(io_test::kPythonReference) + R"(
import sys, os, torch
out = sys.argv[1]
for dt in CODES:
    a = np.load(os.path.join(out, dt + '.npy'))
    assert a.dtype == np.dtype(dt) and a.shape == (2, 3, 4), (dt, a.dtype, a.shape)
    assert np.array_equal(a, reference(dt, (2, 3, 4))), dt
    t = torch.from_numpy(a)
    assert torch.equal(t, torch.from_numpy(reference(dt, (2, 3, 4)))), dt
    s = np.load(os.path.join(out, dt + '_scalar.npy'))
    assert s.shape == () and s == reference(dt, ()), dt
with np.load(os.path.join(out, 'all.npz')) as z:
    assert sorted(z.files) == sorted(CODES), z.files
    for dt in CODES:
        assert z[dt].dtype == np.dtype(dt) and np.array_equal(z[dt], reference(dt, (3, 5))), dt
)";
  EXPECT_EQ(run_python(dir, script, dir.path().string()), 0);
}

TEST(IoInterop, NumpyNpzStoredAndCompressed) {
  REQUIRE_PYTHON("numpy");
  ScratchDir dir;
  std::string script = std::string(io_test::kPythonReference) + R"(
import sys, os
out = sys.argv[1]
arrays = {dt: reference(dt, (4, 3)) for dt in CODES}
arrays['fortran'] = np.asfortranarray(reference('float64', (3, 7)))
np.savez(os.path.join(out, 'stored.npz'), **arrays)
np.savez_compressed(os.path.join(out, 'deflated.npz'), **arrays)
)";
  ASSERT_EQ(run_python(dir, script, dir.path().string()), 0);
  for (const std::string file : {"stored.npz", "deflated.npz"}) {
    auto m = kiln::io::load_npz(dir / file);
    ASSERT_EQ(m.size(), 6u) << file;
    for (int d = 0; d < 5; ++d) EXPECT_TRUE(identical(m[kDtypeNames[d]], reference(kDtypes[d], {4, 3}))) << file;
    EXPECT_TRUE(identical(m["fortran"], reference(kiln::kFloat64, {3, 7}))) << file;
  }
}

// The safetensors layout written by hand in Python from torch tensors.
const char* kPythonSafetensors = R"(
import json, struct, torch
TORCH = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'I64': torch.int64, 'BOOL': torch.bool}
CODE = {'float32': 'F32', 'float64': 'F64', 'int32': 'I32', 'int64': 'I64', 'bool': 'BOOL'}
def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes()
        code = [k for k, v in TORCH.items() if v == t.dtype][0]
        header[name] = {'dtype': code, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
def read_safetensors(path):
    data = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', {})
    out = {}
    for name, spec in header.items():
        b, e = spec['data_offsets']
        raw = bytearray(data[8 + n + b: 8 + n + e])
        t = torch.frombuffer(raw, dtype=TORCH[spec['dtype']]) if raw else torch.empty(0, dtype=TORCH[spec['dtype']])
        out[name] = t.reshape(spec['shape'])
    return out, meta
)";

TEST(IoInterop, TorchWritesSafetensorsKilnReads) {
  REQUIRE_PYTHON("numpy, torch");
  ScratchDir dir;
  std::string script = std::string(io_test::kPythonReference) + kPythonSafetensors + R"(
import sys, os
tensors = {'layer.' + dt: torch.from_numpy(reference(dt, (3, 4))) for dt in CODE}
tensors['scalar'] = torch.tensor(2.5, dtype=torch.float64)
tensors['transposed'] = torch.from_numpy(reference('float32', (4, 3))).t()
write_safetensors(os.path.join(sys.argv[1], 'model.safetensors'), tensors, {'format': 'pt'})
)";
  ASSERT_EQ(run_python(dir, script, dir.path().string()), 0);
  auto m = kiln::io::load_safetensors(dir / "model.safetensors");
  ASSERT_EQ(m.size(), 7u);
  for (int d = 0; d < 5; ++d)
    EXPECT_TRUE(identical(m[std::string("layer.") + kDtypeNames[d]], reference(kDtypes[d], {3, 4}))) << d;
  EXPECT_EQ(m["scalar"].dim(), 0);
  EXPECT_EQ(m["scalar"].item<double>(), 2.5);
  EXPECT_TRUE(identical(m["transposed"], reference(kiln::kFloat32, {4, 3}).t().contiguous()));
  EXPECT_EQ(kiln::io::load_safetensors_metadata(dir / "model.safetensors").at("format"), "pt");
}

TEST(IoInterop, KilnWritesSafetensorsTorchReads) {
  REQUIRE_PYTHON("numpy, torch");
  ScratchDir dir;
  std::map<std::string, kiln::Tensor> tensors;
  for (int d = 0; d < 5; ++d) tensors[std::string("p.") + kDtypeNames[d]] = reference(kDtypes[d], {2, 3, 2});
  tensors["empty"] = reference(kiln::kFloat64, {0, 2});
  kiln::io::save_safetensors(tensors, dir / "k.safetensors", {{"source", "kiln"}});
  std::string script = std::string(io_test::kPythonReference) + kPythonSafetensors + R"(
import sys, os
out, meta = read_safetensors(os.path.join(sys.argv[1], 'k.safetensors'))
assert meta == {'source': 'kiln'}, meta
assert len(out) == 6, out.keys()
for dt, code in CODE.items():
    t = out['p.' + dt]
    assert t.dtype == TORCH[code] and tuple(t.shape) == (2, 3, 2), (dt, t.dtype, t.shape)
    assert torch.equal(t, torch.from_numpy(reference(dt, (2, 3, 2)))), dt
assert tuple(out['empty'].shape) == (0, 2)
)";
  EXPECT_EQ(run_python(dir, script, dir.path().string()), 0);
}

}  // namespace
