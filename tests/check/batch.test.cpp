// Batches: records in order, bad records graded as such, hostile answers
// bounded by the time limit, never a crash of the batch.
#include <catch2/catch.hpp>

#include <chrono>

#include "mcalc/check.hpp"

using namespace mcalc;
using check::Verdict;

TEST_CASE("records are read from JSON Lines and CSV, bad ones kept with their reason", "[check][batch]") {
  auto recs = check::read_records(
      "{\"id\": \"a\", \"expr\": \"x'*x\", \"wrt\": \"x\", \"op\": \"grad\", \"answer\": \"2*x\"}\n"
      "not json\n"
      "\n"
      "{\"id\": 7, \"expr\": \"x'*x\", \"wrt\": \"x\"}\n"
      "{\"expr\": \"x'*x\", \"wrt\": \"x\", \"op\": \"jacobian\", \"answer\": \"2*x\"}\n",
      false);
  REQUIRE(recs.size() == 4);
  CHECK(recs[0].id == "a");
  CHECK(recs[0].question.op == QueryOp::Grad);
  CHECK(recs[0].error.empty());
  CHECK(recs[1].error == "line 2 is not a JSON object");
  CHECK(recs[2].id == "7");
  CHECK(recs[2].error.find("'answer' is missing") != std::string::npos);
  CHECK(recs[3].error.find("op must be diff, grad or hessian") != std::string::npos);

  auto csv = check::read_records(
      "id,expr,wrt,let,op,answer\n"
      "1,x'*x,x,,grad,2*x\n"
      "2,\"max(a, b)\",a,\"a, b: scalar\",diff,\"step(a - b)\"\n"
      "3,x'*x,x\n",
      true);
  REQUIRE(csv.size() == 3);
  CHECK(csv[1].question.expr == "max(a, b)");
  CHECK(csv[1].question.let == "a, b: scalar");
  CHECK(csv[1].answer == "step(a - b)");
  CHECK_FALSE(csv[2].error.empty());
}

TEST_CASE("a batch grades every record in order; hostile answers are too complex within the limit",
          "[check][batch]") {
  std::string huge(1 << 20, ' ');
  huge += "x";
  std::string nested;
  for (int k = 0; k < 10000; ++k) nested += "sin(";
  nested += "x";
  for (int k = 0; k < 10000; ++k) nested += ")";
  std::string long_sum = "x";
  for (int k = 0; k < 60000; ++k) long_sum += "+x";
  std::vector<check::Record> recs = {
      {"ok", {"x'*x", "x", "", QueryOp::Grad}, "2*x", ""},
      {"big", {"x'*x", "x", "", QueryOp::Grad}, huge, ""},
      {"pow", {"x'*x", "x", "", QueryOp::Grad}, "x.^1e308", ""},
      {"matpow", {"x'*A*x", "x", "", QueryOp::Grad}, "A^1000000*x", ""},
      {"nested", {"sin(x)", "x", "x: scalar", QueryOp::Diff}, nested, ""},
      {"sum", {"x'*x", "x", "", QueryOp::Grad}, long_sum, ""},
      {"bad", {}, "", "line 9 is not a JSON object"},
      {"wrong", {"x'*A*x", "x", "", QueryOp::Grad}, "2*A*x", ""},
  };
  check::Options o;
  o.timeout = 2.0;
  auto t0 = std::chrono::steady_clock::now();
  auto res = check::check_batch(recs, o, 2);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(res.size() == recs.size());
  CHECK(res[0].verdict == Verdict::Correct);
  CHECK(res[1].verdict == Verdict::TooComplex);  // a megabyte of text
  CHECK(res[2].verdict == Verdict::TooComplex);  // x.^1e308
  CHECK(res[3].verdict == Verdict::TooComplex);  // A^1000000
  CHECK(res[4].verdict == Verdict::TooComplex);  // 10,000 nested calls
  CHECK((res[5].verdict == Verdict::TooComplex || res[5].verdict == Verdict::Incorrect));
  CHECK(res[6].verdict == Verdict::InvalidAnswer);
  CHECK(res[6].error == "line 9 is not a JSON object");
  CHECK(res[7].verdict == Verdict::Incorrect);
  // Every record within its limit, two at a time: far below the sum of the limits.
  CHECK(secs < 2.0 * recs.size() / 2 + 2);
}

TEST_CASE("a check past its time limit is killed and reported too complex", "[check][batch]") {
  check::Options o;
  o.timeout = 0.2;
  // An honest but heavy question: a power of a generic symbolic inverse, written out
  // entry by entry at n = 2, 3, 4, takes far longer than the limit.
  auto r = check::check_isolated({"sum(inv(A)^8)", "A", "A: matrix(n, n)", QueryOp::Grad}, "A", o);
  CHECK(r.verdict == Verdict::TooComplex);
  CHECK(r.error.find("longer than the limit of 0.2 s") != std::string::npos);
}

TEST_CASE("a worker killed at a record's deadline is replaced: the records after it are graded", "[check][batch]") {
  // One worker checks many records in turn; the heavy one in the middle kills it, and a fresh one
  // takes the rest (docs/checking.md#throughput).
  std::vector<check::Record> recs = {
      {"before", {"x'*x", "x", "", QueryOp::Grad}, "2*x", ""},
      {"heavy", {"sum(inv(A)^8)", "A", "A: matrix(n, n)", QueryOp::Grad}, "A", ""},
      {"after-wrong", {"x'*A*x", "x", "", QueryOp::Grad}, "2*A*x", ""},
      {"after-right", {"x'*A*x", "x", "", QueryOp::Grad}, "(A + A')*x", ""},
  };
  check::Options o;
  o.timeout = 0.5;
  auto res = check::check_batch(recs, o, 1);
  REQUIRE(res.size() == recs.size());
  CHECK(res[0].verdict == Verdict::Correct);
  CHECK(res[1].verdict == Verdict::TooComplex);
  CHECK(res[1].error.find("longer than the limit of 0.5 s") != std::string::npos);
  CHECK(res[2].verdict == Verdict::Incorrect);
  CHECK(res[3].verdict == Verdict::Correct);
}

TEST_CASE("workers are replaced every few dozen records; a long batch is graded in order", "[check][batch]") {
  // More records than one worker checks before it is replaced (kRecordsPerWorker): right and wrong
  // answers alternate, and each verdict lands at its own record.
  std::vector<check::Record> recs;
  for (int k = 0; k < 150; ++k)
    recs.push_back({std::to_string(k), {"x'*x", "x", "", QueryOp::Grad}, k % 2 == 0 ? "2*x" : "x", ""});
  check::Options o;
  auto res = check::check_batch(recs, o, 2);
  REQUIRE(res.size() == recs.size());
  for (std::size_t k = 0; k < res.size(); ++k) {
    INFO("record " << k);
    CHECK(res[k].verdict == (k % 2 == 0 ? Verdict::Correct : Verdict::Incorrect));
    CHECK(res[k].answer == (k % 2 == 0 ? "2*x" : "x"));
  }
}
