// Accessible SVG charts (core/evaluation/chart.h): text is escaped, the
// chart names itself for assistive technology, and the table beside it holds
// the same figures. The markup is checked with an XML parser (Python's
// xml.etree, run with Debian's /usr/bin/python3) rather than by eye.
#include "core/evaluation/chart.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

namespace mentoring::core::evaluation {
namespace {

// Parses `xml` with Python's XML parser and prints what the script asks for.
std::string python_xml(const std::string& xml, const std::string& script) {
  // One file per test and process: ctest runs the tests of this binary in
  // parallel, each in its own process.
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string path = ::testing::TempDir() + "chart_test_" + info->name() + "_" +
                           std::to_string(::getpid()) + ".xml";
  {
    std::ofstream f(path, std::ios::binary);
    f << xml;
  }
  const std::string command = "/usr/bin/python3 -c '" + script + "' " + path;
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

TEST(ChartTest, XmlEscapeCoversMarkupCharactersAndDropsControls) {
  EXPECT_EQ(xml_escape("a<b>&\"c'\x01\tz"), "a&lt;b&gt;&amp;&quot;c&#39;\tz");
  EXPECT_EQ(xml_escape("Ré\xE2\x80\x99s"), "Ré\xE2\x80\x99s");  // UTF-8 passes through
}

TEST(ChartTest, BarChartIsNamedEscapedAndMatchesItsTable) {
  BarChart c;
  c.id = "arcp\"><script>";
  c.title = "ARCP outcomes <August & February>";
  c.description = "People by their latest ARCP outcome; \"withheld\" marks small numbers.";
  c.value_heading = "People";
  c.bars = {{"Outcome 1", 40}, {"Outcome 2 <b>", 20}, {"Outcome 3", std::nullopt}};
  const ChartMarkup m = render_bar_chart(c);
  EXPECT_EQ(m.svg.find("<script"), std::string::npos);
  EXPECT_EQ(m.svg.find("<b>"), std::string::npos);
  const std::string parsed = python_xml(m.figure(),
                                        "import sys, xml.etree.ElementTree as E\n"
                                        "f = E.parse(sys.argv[1]).getroot()\n"
                                        "ns = {\"s\": \"http://www.w3.org/2000/svg\"}\n"
                                        "svg = f.find(\"s:svg\", ns)\n"
                                        "print(svg.get(\"role\"), svg.get(\"aria-labelledby\"))\n"
                                        "print(svg.find(\"s:title\", ns).text)\n"
                                        "print(len(svg.findall(\".//s:rect\", ns)))\n"
                                        "print([r.get(\"width\") for r in svg.findall(\".//s:rect\", ns)])\n"
                                        "print([[c.text for c in tr] for tr in f.find(\"table\").iter(\"tr\")])\n"
                                        "print(f.find(\"figcaption\").text)\n");
  EXPECT_EQ(parsed,
            "img arcpscript-title arcpscript-desc\n"
            "ARCP outcomes <August & February>\n"
            "2\n"
            "['340', '170']\n"
            "[[None, 'People'], ['Outcome 1', '40'], ['Outcome 2 <b>', '20'], ['Outcome 3', 'withheld']]\n"
            "ARCP outcomes <August & February>\n");
}

TEST(ChartTest, IntervalChartPlacesEstimatesAroundZeroWithTheirLimits) {
  IntervalChart c;
  c.id = "change";
  c.title = "Change from baseline (95% CI)";
  c.description = "Mean change in each rating.";
  c.rows = {
      {"Confidence", 0.5, 0.12, 0.88}, {"Career clarity", -0.25, -1.0, 0.5}, {"Preparedness", std::nullopt, 0, 0}};
  const ChartMarkup m = render_interval_chart(c);
  const std::string parsed =
      python_xml(m.figure(),
                 "import sys, xml.etree.ElementTree as E\n"
                 "f = E.parse(sys.argv[1]).getroot()\n"
                 "ns = {\"s\": \"http://www.w3.org/2000/svg\"}\n"
                 "print([c.get(\"cx\") for c in f.iter(\"{http://www.w3.org/2000/svg}circle\")])\n"
                 "print([[c.text for c in tr] for tr in f.find(\"table\").iter(\"tr\")][1:])\n");
  // Plot: x from 220 to 560, zero at 390, extent 1 -> 170 px per unit.
  EXPECT_EQ(parsed,
            "['475', '347.5']\n"
            "[['Confidence', '0.5', '0.12', '0.88'], ['Career clarity', '-0.25', '-1', '0.5'], "
            "['Preparedness', 'withheld', None, None]]\n");
}

}  // namespace
}  // namespace mentoring::core::evaluation
