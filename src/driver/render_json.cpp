// The JSON renderer: one object per request, for programs (docs/cli.md lists the keys).
#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "driver/derivation_format.hpp"
#include "driver/render.hpp"
#include "mcalc/print.hpp"

namespace mcalc::driver {
namespace {
using json = nlohmann::ordered_json;

json vec_json(const Eigen::VectorXd& v) {
  json j = json::array();
  for (Eigen::Index k = 0; k < v.size(); ++k) j.push_back(std::isfinite(v(k)) ? json(v(k)) : json(nullptr));
  return j;
}

json expansion_json(const Expansion& x) {
  json j;
  json used = json::object();
  for (const auto& [d, n] : x.sizes) used[d] = n;
  json how = json::array();
  for (const auto& row : x.check.how) {
    json r = json::array();
    for (EntryCheck c : row) r.push_back(entry_check_name(c));
    how.push_back(r);
  }
  j["expanded"] = matrix_entries(x.closed);
  j["expanded_sizes"] = used;
  j["expanded_latex"] = matrix_latex(x.closed);
  j["expanded_check"] = {{"passed", x.check.passed()},
                         {"symbolic", x.check.symbolic},
                         {"numeric", x.check.numeric},
                         {"mismatched", x.check.mismatched},
                         {"undecided", x.check.undecided},
                         {"entries", how},
                         {"failures", x.check.failures}};
  return j;
}

class JsonRenderer final : public Renderer {
 public:
  using Renderer::Renderer;

  void render(const DescribeResult& r) override {
    json j;
    j["expr"] = r.text;
    j["types"] = types_json(r.types);
    j["shape"] = r.expr->shape.str();
    if (r.value) j["value"] = value_json(*r.value, r.expr->shape);
    write(j);
  }

  void render(const DerivativeResult& r) override {
    const Answer& a = r.answer;
    json j;
    j["expr"] = to_text(a.f);
    j["wrt"] = a.wrt->name;
    j["op"] = query_name(a.op);
    j["layout"] = layout_key(a.op, a.layout);
    if (by_vec(a.op, a.f->shape, a.wrt->shape)) j["by_vec"] = true;  // d vec(f)/d vec(X)', column-major
    j["types"] = types_json(r.types);
    answer(a, j);
    if (r.expanded) j.update(expansion_json(*r.expanded));
    write(j);
  }

  void render(const DeriveResult& r) override {
    write(derivation(r, true));
  }

  /// The simplifier's identities a step used: its rule id and statement each.
  static json simplifications(const std::vector<Rule>& ids) {
    json used = json::array();
    for (Rule id : ids) used.push_back({{"rule", rule_info(id).id}, {"identity", rule_info(id).statement}});
    return used;
  }

  /// The steps of a derivation as data; in a program without the types (it lists them once).
  json derivation(const DeriveResult& r, bool with_types) {
    const Derivation& d = r.d;
    auto value = [&](const std::vector<Eigen::MatrixXd>& vs, std::size_t k, const Shape& s, json& j) {
      if (k < vs.size()) j["value"] = value_json(vs[k], s);
    };
    json j;
    j["expr"] = to_text(d.f);
    j["wrt"] = d.wrt->name;
    j["layout"] = layout_name(d.layout);
    if (with_types) j["types"] = types_json(r.types);
    json inter = json::array(), parts = json::array(), chain = json::array();
    for (std::size_t k = 0; k < d.intermediates.size(); ++k) {
      const Expr& v = d.intermediates[k].var;
      json i = {{"name", v->name},
                {"given", d.intermediates[k].given},
                {"text", to_text(v->args[0])},
                {"latex", derivation_latex(v->args[0], r.otimes)},
                {"shape", v->shape.str()}};
      value(r.intermediate_values, k, v->shape, i);
      inter.push_back(i);
    }
    for (std::size_t k = 0; k < d.partials.size(); ++k) {
      const auto& p = d.partials[k];
      json i = {{"of", d.intermediates[p.of].var->name},
                {"by", p.by->name},
                {"rule", p.rule},
                {"text", to_text(p.jacobian)},
                {"latex", derivation_latex(p.jacobian, r.otimes)},
                {"shape", p.jacobian->shape.str()}};
      value(r.partial_values, k, p.jacobian->shape, i);
      parts.push_back(i);
    }
    for (std::size_t k = 0; k < d.chain.size(); ++k) {
      const auto& c = d.chain[k];
      json i = {{"of", d.intermediates[c.of].var->name},
                {"form", chain_form_text(c, d)},
                {"form_latex", chain_form_latex(c, d)},
                {"text", to_text(c.value)},
                {"latex", derivation_latex(c.value, r.otimes)}};
      value(r.chain_values, k, c.value->shape, i);
      i["simplifications"] = simplifications(c.identities);
      chain.push_back(i);
    }
    j["intermediates"] = inter;
    j["partials"] = parts;
    j["chain"] = chain;
    if (d.backprop()) {
      json adj = json::array();
      for (std::size_t k = 0; k < d.adjoints.size(); ++k) {
        const auto& a = d.adjoints[k];
        json terms = json::array();
        for (const auto& t : a.terms)
          terms.push_back({{"through", d.intermediates[t.from].var->name},
                           {"rule", t.rule},
                           {"text", to_text(t.value)},
                           {"latex", derivation_latex(t.value, r.otimes)}});
        json i = {{"of", a.of < d.intermediates.size() ? d.intermediates[a.of].var->name : d.wrt->name},
                  {"form", adjoint_symbol_text(a, d)},
                  {"form_latex", adjoint_symbol_latex(a, d)},
                  {"terms", terms},
                  {"text", to_text(a.value)},
                  {"latex", derivation_latex(a.value, r.otimes)},
                  {"shape", a.value->shape.str()}};
        if (a.var) i["name"] = a.var->name;
        else i["gradient"] = true;
        value(r.adjoint_values, k, a.value->shape, i);
        i["simplifications"] = simplifications(a.identities);
        adj.push_back(i);
      }
      j["adjoints"] = adj;
    }
    json res = {{"text", to_text(r.shown.body)}, {"latex", derivation_latex(r.shown.body, r.otimes)}};
    if (!r.shown.where.empty()) res["where"] = where_json(r.shown);
    res["shape"] = d.result->shape.str();
    if (r.value) res["value"] = value_json(*r.value, d.result->shape);
    if (d.condition)
      res["cases"] = {{{"condition", to_text(d.condition) + " <= 0"}, {"text", to_text(d.where_nonpositive)}},
                      {{"condition", to_text(d.condition) + " > 0"}, {"text", to_text(d.where_positive)}}};
    j["result"] = res;
    return j;
  }

  void render(const RunResult& r) override {
    json results = json::array();
    for (const auto& item : r.items) {
      json j;
      if (const auto* e = std::get_if<Evaluation>(&item)) {
        j["expr"] = to_text(e->expr);
        j["shape"] = e->expr->shape.str();
        if (e->value) j["value"] = value_json(*e->value, e->expr->shape);
      } else if (const auto* c = std::get_if<CheckVerdict>(&item)) {
        j["op"] = "check";
        j.update(check::to_json(c->result));
      } else if (const auto* d = std::get_if<DeriveResult>(&item)) {
        j["op"] = "derive";
        j.update(derivation(*d, false));
      } else {
        const Answer& a = std::get<Answer>(item);
        j["op"] = query_name(a.op);
        j["expr"] = to_text(a.f);
        j["wrt"] = a.wrt->name;
        answer(a, j);
      }
      results.push_back(j);
    }
    json j;
    j["types"] = types_json(r.types);
    j["results"] = results;
    write(j);
  }

  void render(const StepReport& r) override {
    const train::StepResult& s = r.step;
    json j;
    j["loss"] = s.loss_name;
    j["lr"] = s.lr;
    j["params"] = s.params;
    j["data"] = r.data;
    auto pass = [&](const train::ForwardPass& p, bool full) {
      json o;
      json ls = json::array();
      for (std::size_t k = 0; k < s.layers.size(); ++k) {
        const train::Layer& l = s.layers[k];
        const train::LayerValues& v = p.layers[k];
        json lj;
        lj["layer"] = l.index;
        lj["a"] = l.a_name;
        lj["z"] = l.z_name;
        lj["z_expr"] = to_text(l.z_named ? l.z->args[0] : l.z);
        lj["activation"] = fn_name(l.activation);
        lj["z_values"] = vec_json(v.z);
        lj["a_values"] = vec_json(v.a);
        if (full) {
          lj["da_dz"] = vec_json(v.da_dz);
          lj["dL_dz"] = vec_json(v.dL_dz);
          lj["dL_da"] = vec_json(v.dL_da);
        }
        ls.push_back(lj);
      }
      o["layers"] = ls;
      o["loss"] = p.loss;
      return o;
    };
    j["forward"] = pass(s.before, true);
    json g = json::object(), old = json::object(), nw = json::object(), ex = json::object();
    for (const auto& p : s.params) {
      const Shape& sh = r.shapes.at(p);
      ex[p] = to_text(s.gradient_exprs.at(p));
      g[p] = value_json(s.gradients.at(p), sh);
      old[p] = value_json(s.old_values.at(p), sh);
      nw[p] = value_json(s.new_values.at(p), sh);
    }
    j["gradient_exprs"] = ex;
    j["gradients"] = g;
    j["old"] = old;
    j["new"] = nw;
    j["after"] = pass(s.after, false);
    j["delta_loss"] = s.delta_loss();
    j["delta_percent"] = s.delta_percent();
    write(j);
  }

  void render(const TrainReport& r) override {
    const train::TrainResult& res = r.result;
    json j;
    j["loss"] = r.loss;
    j["samples"] = r.samples;
    j["vectorised"] = r.vectorised;
    j["batch"] = r.batch;
    j["lr"] = r.lr;
    j["epochs"] = r.epochs;
    j["params"] = res.params;
    j["initialised"] = res.initialised;
    j["zero_gradient"] = res.zero_gradient;
    json h = json::array();
    for (const auto& st : res.history) {
      json e;
      e["epoch"] = st.epoch;
      e["loss"] = st.loss;
      if (st.accuracy) e["accuracy"] = *st.accuracy;
      h.push_back(e);
    }
    j["history"] = h;
    json fin = json::object();
    for (const auto& p : res.params) fin[p] = value_json(res.final.at(p), r.shapes.at(p));
    j["final"] = fin;
    if (res.history.back().accuracy) j["accuracy"] = *res.history.back().accuracy;
    write(j);
  }

  void render(const CheckVerdict& r) override { write(check::to_json(r.result)); }
  void render(const BatchReport& r) override { out_ << batch_lines(r); }  // JSON Lines, one verdict a line

 private:
  void write(const json& j) { out_ << j.dump(2) << '\n'; }

  /// The keys of an answer: result (with shared subexpressions named), where
  /// (only when there are names), shape, latex, value, check.
  static void answer(const Answer& a, json& j) {
    j["result"] = to_text(a.shown.body);
    if (!a.shown.where.empty()) j["where"] = where_json(a.shown);
    j["shape"] = a.result->shape.str();
    j["latex"] = to_latex(a.shown.body);
    if (a.value) j["value"] = value_json(*a.value, a.result->shape);
    if (a.check) j["check"] = check_json(*a.check);
  }
};

}  // namespace

std::unique_ptr<Renderer> json_renderer(const RenderOptions& options, std::ostream& out) {
  return std::make_unique<JsonRenderer>(options, out);
}

}  // namespace mcalc::driver
