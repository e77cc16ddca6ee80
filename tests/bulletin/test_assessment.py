"""The bulletin carries a section per active assessment scheme (考核), as the assessment app scores it."""
import io

from docx import Document

from duban.assessment.models import Dimension, Scheme
from duban.assessment.scoring import publish
from duban.bulletin import content
from duban.bulletin.docx import write_docx
from tests.bulletin.base import OCTOBER, BulletinTestCase, at


class AssessmentSectionTests(BulletinTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scheme = Scheme.objects.create(name="2025年度作风建设十项考核", red_size=1, black_size=1)
        cls.scheme.participants.set([cls.jiangnan, cls.jiangbei])
        Dimension.objects.create(scheme=cls.scheme, name="满意率", code="satisfaction", points=100, source="figure",
                                 figure="satisfaction")
        retired = Scheme.objects.create(name="2024年度考核（已停用）", active=False)
        retired.participants.set([cls.jiangnan])

    def test_an_active_scheme_has_its_table_with_the_lists(self):
        [result] = content.gather(OCTOBER, with_charts=False).assessments
        self.assertEqual(result.scheme, "2025年度作风建设十项考核")
        self.assertEqual(result.dimensions, ["满意率"])
        self.assertEqual(result.rows, [["1", "江南区", "100.00", "100.00", "红榜"],
                                       ["2", "江北区", "98.00", "98.00", "黑榜"]])
        self.assertFalse(result.published)

    def test_a_published_month_is_printed_as_published(self):
        publish(self.scheme, OCTOBER, actor=self.supervisor, at=at(11, 3))
        [result] = content.gather(OCTOBER, with_charts=False).assessments
        self.assertTrue(result.published)
        self.assertEqual([row[1] for row in result.rows], ["江南区", "江北区"])

    def test_the_word_document_has_the_scheme_section(self):
        buffer = io.BytesIO()
        write_docx(content.gather(OCTOBER, with_charts=False), buffer)
        document = Document(io.BytesIO(buffer.getvalue()))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        self.assertEqual(headings, ["一、总体情况", "二、各单位排名", "三、红黑榜", "四、超期未办结事项",
                                    "五、考核结果：2025年度作风建设十项考核", "六、工作要求"])
