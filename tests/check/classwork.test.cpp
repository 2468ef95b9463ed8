// examples/classwork/answers.jsonl: the lecture's questions with right and
// wrong answers, each with the verdict (and the diagnosis) a grader expects.
// No wrong answer of it is accepted.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mcalc/check.hpp"

using namespace mcalc;

TEST_CASE("the classwork answers get the verdicts and diagnoses they should", "[check][classwork]") {
  std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/examples/classwork/answers.jsonl");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<check::Record> records = check::read_records(text.str(), false);
  REQUIRE(records.size() >= 30);
  std::istringstream lines(text.str());
  std::string line;
  std::map<std::string, int> seen;
  for (const auto& rec : records) {
    REQUIRE(std::getline(lines, line));
    nlohmann::json want = nlohmann::json::parse(line);
    REQUIRE(rec.error.empty());
    check::Result r = check::check_answer(rec.question, rec.answer);
    INFO(rec.id << ": " << rec.answer << " -> " << check::verdict_name(r.verdict) << " / " << r.diagnosis << r.error);
    CHECK(check::verdict_name(r.verdict) == want["expect"].get<std::string>());
    const std::string diagnosis = want["diagnosis"].get<std::string>();
    CHECK(r.diagnosis.find(diagnosis) != std::string::npos);
    if (r.verdict == check::Verdict::Incorrect && r.decided_by.find("exact") != std::string::npos)
      CHECK(r.counterexample);
    ++seen[check::verdict_name(r.verdict)];
  }
  // Every verdict but "too complex" (tests/check/batch.test.cpp) and the
  // question's own errors is shown.
  for (const char* v : {"correct", "correct up to layout", "wrong shape", "incorrect", "invalid answer"})
    CHECK(seen[v] > 0);
}
