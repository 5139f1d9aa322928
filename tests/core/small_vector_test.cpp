// kiln::SmallVector<T, N> (also kiln::Shape): inline storage up to N, spill to
// the heap above it, copies and moves in both states, and element lifetimes
// (every constructed element destroyed exactly once).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/tensor_impl.h"
#include "kiln/kiln.h"

using kiln::SmallVector;

namespace {

// Counts live objects and marks dead ones, so a leak leaves live != 0 and a
// double destruction trips the `alive` check (or drives live negative).
struct Counted {
  static inline int live = 0;
  int value;
  bool alive = true;
  Counted(int v = 0) : value(v) { ++live; }
  Counted(const Counted& o) : value(o.value) {
    EXPECT_TRUE(o.alive) << "copy from a destroyed object";
    ++live;
  }
  Counted(Counted&& o) noexcept : value(std::exchange(o.value, -1)) {
    EXPECT_TRUE(o.alive) << "move from a destroyed object";
    ++live;
  }
  Counted& operator=(const Counted& o) {
    EXPECT_TRUE(alive && o.alive) << "assignment involving a destroyed object";
    value = o.value;
    return *this;
  }
  Counted& operator=(Counted&& o) noexcept {
    EXPECT_TRUE(alive && o.alive) << "move-assignment involving a destroyed object";
    value = std::exchange(o.value, -1);
    return *this;
  }
  ~Counted() {
    EXPECT_TRUE(alive) << "destroyed twice";
    alive = false;
    --live;
  }
};

using CV = SmallVector<Counted, 3>;

template <class V>
std::vector<int> values(const V& v) {
  std::vector<int> out;
  for (const Counted& c : v) out.push_back(c.value);
  return out;
}

// Whether the elements sit inside the vector object itself (not spilled).
template <class V>
bool is_inline(const V& v) {
  auto p = reinterpret_cast<const char*>(v.data());
  auto self = reinterpret_cast<const char*>(&v);
  return p >= self && p < self + sizeof(V);
}

// Every test ends with zero live Counted objects.
class SmallVectorTest : public ::testing::Test {
 protected:
  void SetUp() override { Counted::live = 0; }
  void TearDown() override { EXPECT_EQ(Counted::live, 0) << "leaked or double-destroyed elements"; }
};

CV make(std::initializer_list<int> l) {
  CV v;
  for (int x : l) v.emplace_back(x);
  return v;
}

int32_t refs(const kiln::Tensor& t) { return kiln::impl(t)->refs.load(); }

}  // namespace

TEST_F(SmallVectorTest, InlineUpToNThenSpills) {
  CV v;
  EXPECT_TRUE(v.empty());
  for (int i = 0; i < 3; ++i) v.emplace_back(i);
  EXPECT_TRUE(is_inline(v));
  EXPECT_EQ(Counted::live, 3);
  v.push_back(Counted(3));
  EXPECT_FALSE(is_inline(v));
  for (int i = 4; i < 20; ++i) v.emplace_back(i);
  EXPECT_EQ(v.size(), 20u);
  EXPECT_EQ(Counted::live, 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(v[i].value, i);
  EXPECT_EQ(v.back().value, 19);
  v.pop_back();
  EXPECT_EQ(Counted::live, 19);
}

TEST_F(SmallVectorTest, CopyConstructAndAssignInBothStates) {
  CV small = make({1, 2});
  CV big = make({1, 2, 3, 4, 5});
  CV small_copy(small), big_copy(big);
  EXPECT_TRUE(is_inline(small_copy));
  EXPECT_FALSE(is_inline(big_copy));
  EXPECT_NE(big_copy.data(), big.data());
  EXPECT_EQ(values(small_copy), values(small));
  EXPECT_EQ(values(big_copy), values(big));
  big_copy[0].value = 100;  // independent storage
  EXPECT_EQ(big[0].value, 1);

  CV a = make({7});
  a = big;  // inline -> heap
  EXPECT_EQ(values(a), (std::vector<int>{1, 2, 3, 4, 5}));
  a = small;  // heap -> fewer elements
  EXPECT_EQ(values(a), (std::vector<int>{1, 2}));
  CV b = make({9, 9, 9, 9, 9, 9, 9});
  b = big;  // heap -> heap
  EXPECT_EQ(values(b), (std::vector<int>{1, 2, 3, 4, 5}));
  CV c = make({8, 8, 8});
  c = small;  // inline -> inline
  EXPECT_EQ(values(c), (std::vector<int>{1, 2}));
  const CV& self = c;
  c = self;  // self-assignment keeps the contents
  EXPECT_EQ(values(c), (std::vector<int>{1, 2}));
  EXPECT_EQ(Counted::live, 2 + 5 + 2 + 5 + 2 + 5 + 2);
}

TEST_F(SmallVectorTest, MoveConstructLeavesSourceEmpty) {
  CV small = make({1, 2, 3});
  CV moved_small(std::move(small));
  EXPECT_TRUE(small.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_TRUE(is_inline(moved_small));
  EXPECT_EQ(values(moved_small), (std::vector<int>{1, 2, 3}));

  CV big = make({1, 2, 3, 4, 5, 6});
  const Counted* heap = big.data();
  CV moved_big(std::move(big));
  EXPECT_TRUE(big.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved_big.data(), heap);  // the heap block changes hands
  EXPECT_EQ(values(moved_big), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Counted::live, 9);

  // Moved-from vectors are usable again, inline and spilled.
  small.emplace_back(10);
  for (int i = 0; i < 5; ++i) big.emplace_back(i);
  EXPECT_EQ(values(small), (std::vector<int>{10}));
  EXPECT_EQ(values(big), (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(SmallVectorTest, MoveAssignInAllStateCombinations) {
  for (int from : {2, 6})
    for (int to : {1, 5}) {
      CV src, dst;
      for (int i = 0; i < from; ++i) src.emplace_back(i);
      for (int i = 0; i < to; ++i) dst.emplace_back(100 + i);
      dst = std::move(src);
      EXPECT_TRUE(src.empty()) << from << " -> " << to;  // NOLINT(bugprone-use-after-move)
      ASSERT_EQ(dst.size(), static_cast<size_t>(from));
      for (int i = 0; i < from; ++i) EXPECT_EQ(dst[i].value, i);
      EXPECT_EQ(Counted::live, from);
      src = std::move(dst);  // and back into the moved-from vector
      EXPECT_EQ(src.size(), static_cast<size_t>(from));
      EXPECT_TRUE(dst.empty());  // NOLINT(bugprone-use-after-move)
    }
  CV v = make({1, 2, 3, 4});
  CV& alias = v;
  v = std::move(alias);  // self-move keeps the contents
  EXPECT_EQ(values(v), (std::vector<int>{1, 2, 3, 4}));
}

// The argument refers into the vector that must grow to hold the copy.
TEST_F(SmallVectorTest, EmplaceBackOfOwnElementWhileReallocating) {
  CV v = make({1, 2, 3});  // size == inline capacity
  v.emplace_back(v[0]);
  EXPECT_EQ(values(v), (std::vector<int>{1, 2, 3, 1}));
  while (v.size() < 6) v.emplace_back(static_cast<int>(v.size()) + 1);
  v.push_back(v.back());  // heap capacity 6 reached: the second spill
  v.push_back(v[1]);
  EXPECT_EQ(values(v), (std::vector<int>{1, 2, 3, 1, 5, 6, 6, 2}));

  // Heap-owning elements expose a use-after-free to ASan.
  SmallVector<std::string, 2> s;
  s.emplace_back(std::string(40, 'a'));
  s.emplace_back(std::string(40, 'b'));
  s.emplace_back(s[0]);
  s.push_back(s[1]);
  for (int i = 0; i < 4; ++i) s.emplace_back(s[static_cast<size_t>(i)]);
  ASSERT_EQ(s.size(), 8u);
  for (size_t i = 0; i < s.size(); ++i) EXPECT_EQ(s[i], std::string(40, i % 2 ? 'b' : 'a')) << i;
}

TEST_F(SmallVectorTest, InsertAndEraseKeepOrder) {
  CV v = make({1, 2, 3});
  v.insert(0, Counted(0));  // spills
  v.insert(2, Counted(15));
  v.insert(v.size(), Counted(4));
  EXPECT_EQ(values(v), (std::vector<int>{0, 1, 15, 2, 3, 4}));
  v.insert(1, v[5]);  // a copy of its own element
  EXPECT_EQ(values(v), (std::vector<int>{0, 4, 1, 15, 2, 3, 4}));
  v.erase(0);
  EXPECT_EQ(values(v), (std::vector<int>{4, 1, 15, 2, 3, 4}));
  v.erase(2);
  EXPECT_EQ(values(v), (std::vector<int>{4, 1, 2, 3, 4}));
  v.erase(v.size() - 1);
  EXPECT_EQ(values(v), (std::vector<int>{4, 1, 2, 3}));
  EXPECT_EQ(Counted::live, 4);

  SmallVector<std::string, 4> s{"b", "d"};
  s.insert(0, "a");
  s.insert(2, "c");
  s.insert(4, std::string(50, 'e'));  // spills
  EXPECT_EQ(s.vec(), (std::vector<std::string>{"a", "b", "c", "d", std::string(50, 'e')}));
  s.erase(1);
  EXPECT_EQ(s.vec(), (std::vector<std::string>{"a", "c", "d", std::string(50, 'e')}));
}

TEST_F(SmallVectorTest, ResizeAssignClear) {
  CV v = make({1, 2});
  v.resize(5, Counted(7));  // grow past N with a fill value
  EXPECT_EQ(values(v), (std::vector<int>{1, 2, 7, 7, 7}));
  EXPECT_EQ(Counted::live, 5);
  v.resize(1);
  EXPECT_EQ(values(v), (std::vector<int>{1}));
  EXPECT_EQ(Counted::live, 1);
  v.resize(8, v[0]);  // the fill value is one of its own elements
  EXPECT_EQ(values(v), (std::vector<int>(8, 1)));
  v.resize(10);  // default-constructed
  EXPECT_EQ(v[9].value, 0);
  EXPECT_EQ(Counted::live, 10);

  v.assign(2, Counted(4));
  EXPECT_EQ(values(v), (std::vector<int>{4, 4}));
  Counted raw[4] = {5, 6, 7, 8};
  v.assign(raw, 4);
  EXPECT_EQ(values(v), (std::vector<int>{5, 6, 7, 8}));
  EXPECT_EQ(Counted::live, 4 + 4);
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(Counted::live, 4);
  v.emplace_back(1);  // usable after clear
  EXPECT_EQ(values(v), (std::vector<int>{1}));

  CV sized(4, Counted(3));
  EXPECT_EQ(values(sized), (std::vector<int>{3, 3, 3, 3}));
  std::vector<Counted> copy = sized.vec();
  EXPECT_EQ(copy.size(), 4u);
  EXPECT_EQ(copy[3].value, 3);
  EXPECT_EQ(Counted::live, 4 + 1 + 4 + 4);
}

// Tensors are intrusively reference counted: copies take a reference, moves
// (including reallocation) do not, and destroying the vector gives them back.
TEST_F(SmallVectorTest, TensorsKeepCorrectReferenceCounts) {
  kiln::Tensor t = kiln::arange(4, kiln::kFloat64);
  ASSERT_EQ(refs(t), 1);
  {
    SmallVector<kiln::Tensor, 2> v;
    v.push_back(t);
    v.push_back(t);
    EXPECT_EQ(refs(t), 3);
    v.emplace_back(v[0]);  // at capacity: reallocation moves two, copies one
    EXPECT_EQ(refs(t), 4);
    for (const kiln::Tensor& e : v) EXPECT_TRUE(e.is_same(t));
    SmallVector<kiln::Tensor, 2> copy(v);
    EXPECT_EQ(refs(t), 7);
    SmallVector<kiln::Tensor, 2> moved(std::move(copy));
    EXPECT_EQ(refs(t), 7);
    v.erase(0);
    v.insert(0, kiln::ones({2}));
    EXPECT_EQ(refs(t), 6);
    v.resize(1);
    EXPECT_EQ(refs(t), 4);  // v holds none of t now, moved holds 3
    moved = v;
    EXPECT_EQ(refs(t), 1);
    EXPECT_TRUE(moved[0].defined());
  }
  EXPECT_EQ(refs(t), 1);
  // A tensor whose only owner was a vector survives the vector via a copy.
  kiln::Tensor survivor;
  {
    SmallVector<kiln::Tensor, 1> v;
    v.push_back(kiln::full({3}, 2.5, kiln::kFloat64));
    v.push_back(kiln::zeros({1}));
    survivor = v[0];
  }
  ASSERT_TRUE(survivor.defined());
  EXPECT_EQ(refs(survivor), 1);
  EXPECT_EQ(survivor.sum().item<double>(), 7.5);
}

TEST(ShapeTest, ConstructsFromIntArrayRefAndComparesThroughIt) {
  std::vector<int64_t> dims{2, 3, 4};
  kiln::Shape s = kiln::IntArrayRef(dims);
  EXPECT_EQ(s.size(), 3u);
  EXPECT_TRUE(kiln::IntArrayRef(s) == dims);
  EXPECT_TRUE(dims == kiln::IntArrayRef(s));
  EXPECT_TRUE(kiln::IntArrayRef(s) == kiln::IntArrayRef({2, 3, 4}));
  EXPECT_TRUE(kiln::IntArrayRef(s) != kiln::IntArrayRef({2, 3}));
  EXPECT_TRUE(kiln::IntArrayRef(s) != kiln::IntArrayRef({2, 3, 5}));
  EXPECT_EQ(s.vec(), dims);

  // Rank above the inline capacity (6) spills and still compares equal.
  std::vector<int64_t> high{1, 2, 3, 4, 5, 6, 7, 8};
  kiln::Shape h = kiln::IntArrayRef(high);
  EXPECT_FALSE(is_inline(h));
  EXPECT_TRUE(kiln::IntArrayRef(h) == high);

  // A tensor's sizes round-trip through Shape.
  kiln::Tensor t = kiln::zeros({2, 1, 3, 1, 2, 1, 2});
  kiln::Shape from_tensor = t.sizes();
  EXPECT_TRUE(t.sizes() == kiln::IntArrayRef(from_tensor));
  EXPECT_TRUE(kiln::zeros(from_tensor).sizes() == t.sizes());

  // Braced lists are elements, a count with a value is a fill.
  kiln::Shape listed{5};
  EXPECT_TRUE(kiln::IntArrayRef(listed) == kiln::IntArrayRef({5}));
  kiln::Shape filled(size_t{3}, int64_t{7});
  EXPECT_TRUE(kiln::IntArrayRef(filled) == kiln::IntArrayRef({7, 7, 7}));
  kiln::Shape empty;
  EXPECT_TRUE(kiln::IntArrayRef(empty) == kiln::IntArrayRef());
  EXPECT_TRUE(kiln::IntArrayRef(empty) == kiln::zeros({}).sizes());
}
