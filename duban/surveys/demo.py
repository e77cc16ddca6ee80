"""Demo surveys: last season's 大遍访大评议 of ten city departments by firms and the public (closed,
anonymous, ~120 answers out of 150 invitations, some departments clearly better liked than
others), and this month's enterprise survey of 万人助万企 (open, named invitations not yet used).
The department assessment's 作风建设评议 dimension is pointed at the review, so its score comes
from the answers. Everything is drawn from `rng`, dated before `now`.
"""
import math
from datetime import timedelta

from django.utils import timezone

from duban.assessment.models import Dimension
from duban.demo.city import ENTERPRISES, GIVEN, SURNAMES
from duban.surveys import service
from duban.surveys.models import Answer, Survey

K = service.Kind
# The departments reviewed (codes of duban.demo.city), and how well they are liked (mean score):
# the approval bureau's 一窗通办 and the hotline-praised departments above, heating and housing below.
REVIEWED = [("xzsp", 4.5), ("rs", 4.2), ("yl", 4.1), ("jy", 3.9), ("wj", 3.7), ("scjg", 3.6), ("jj", 3.4),
            ("cg", 3.1), ("zj", 2.8), ("gr", 2.5)]
PROBLEMS = ["办事效率低", "推诿扯皮", "服务态度差", "多头跑、反复跑", "政策落实不到位", "吃拿卡要", "没有遇到以上问题"]
PROBLEM_WEIGHTS = [5, 4, 3, 4, 3, 0.4]  # how often each is met (吃拿卡要 rarely)
NONE_MET = PROBLEMS[-1]
SUGGESTIONS = [
    "{good}窗口一次就办成了，工作人员全程帮办，点赞。",
    "{bad}反映的问题拖了很久，希望真正马上办，不要推诿扯皮。",
    "建议公开办事流程和责任清单，避免群众“进错门”。",
    "{bad}个别工作人员态度生硬，希望加强培训，改进作风。",
    "惠企政策宣传不够，企业不知道怎么申请，希望主动上门服务。",
    "12345热线反映的问题有回音、有落实，希望坚持下去。",
    "部门之间多头跑、反复跑的问题还存在，建议一窗受理、并联审批。",
    "希望评议结果公开晾晒，对排名靠后的部门动真碰硬。",
    "{good}干部下沉到社区，问题当场解决，群众满意。",
    "供热不达标的问题每年都有，希望从根子上解决。",
]
INVITATIONS = 150


def load(city, rng, now):
    units = [(city.units[code], mean) for code, mean in REVIEWED if code in city.units]
    author = city.supervisors[0] if city.supervisors else None
    review, answered = _review(units, rng, now, author)
    pointed = _point_assessment(review, [unit for unit, _mean in units])
    enterprise = _enterprise_survey(city, units, rng, now, author)
    return (f"{review.title}：发出邀请{INVITATIONS}份，收回答卷{answered}份；"
            f"{enterprise.title}：{enterprise.invitations.count()}份邀请待作答；{pointed}个考核维度按评议结果计分")


def _review(units, rng, now, author):
    opens = timezone.localtime(now - timedelta(days=75)).replace(hour=8, minute=30, second=0, microsecond=0)
    closes = opens + timedelta(days=30, hours=9, minutes=30)
    survey = Survey.objects.create(
        title=f"{opens.year}年度市直部门作风建设大评议", audience="企业和群众", anonymous=True, opens_at=opens,
        closes_at=closes, created_by=author, created_at=opens - timedelta(days=7),
        intro="为深入开展作风建设年活动，市委作风建设年工作专班组织企业和群众对市直部门进行“大遍访大评议”。"
              "评议采取不记名方式，结果纳入部门作风建设考核，排名靠后的部门公开晾晒。")
    survey.units.set([unit for unit, _mean in units])
    overall = service.add_question(survey, K.SCALE, "您对市直部门作风建设的总体评价")
    who = service.add_question(survey, K.SINGLE, "您的身份", choices=["企业经营者", "个体工商户", "普通群众"])
    each = service.add_question(survey, K.UNIT_SCALE, "请对以下部门的工作作风和服务质量分别评价")
    most = service.add_question(survey, K.MOST_SATISFIED, "您最满意的部门")
    least = service.add_question(survey, K.LEAST_SATISFIED, "您最不满意的部门")
    problems = service.add_question(survey, K.MULTIPLE, "您在办事过程中遇到过哪些问题？", choices=PROBLEMS)
    advice = service.add_question(survey, K.TEXT, "您对改进机关作风、优化营商环境有什么意见和建议？", required=False)
    service.set_status(survey, Survey.Status.OPEN)
    made = service.invite(survey, INVITATIONS, at=opens - timedelta(days=2))
    choices = {q.pk: {c.text: c for c in q.choices.all()} for q in (who, problems)}
    answered = rng.randint(115, 125)
    moments = sorted(opens + (closes - opens) * rng.random() for _ in range(answered))
    for (invitation, _token), at in zip(rng.sample(made, answered), moments):
        scores = {unit: _score(rng, mean) for unit, mean in units if rng.random() > 0.15}
        liked = _pick(rng, units, 1.6)
        disliked = _pick(rng, [(u, m) for u, m in units if u != liked], -1.6)
        given = list(scores.values()) or [3]
        seen = _problems(rng, round((4.2 - sum(given) / len(given)) * 2 + rng.gauss(0, .8)))
        answers = [
            Answer(question=overall, number=_clamp(round(sum(given) / len(given) + rng.gauss(0, .6)))),
            Answer(question=who, choice=choices[who.pk][rng.choices(["企业经营者", "个体工商户", "普通群众"], [4, 2, 5])[0]]),
            *[Answer(question=each, unit=unit, number=number) for unit, number in scores.items()],
            Answer(question=most, unit=liked), Answer(question=least, unit=disliked),
            Answer(question=problems, choices=sorted(choices[problems.pk][p].pk for p in (seen or [NONE_MET]))),
        ]
        if rng.random() < 0.3:
            text = rng.choice(SUGGESTIONS).format(good=liked.name, bad=disliked.name)
            answers.append(Answer(question=advice, text=text))
        service.submit(invitation, answers, at=at)
    service.set_status(survey, Survey.Status.CLOSED)
    return survey, answered


def _score(rng, mean):
    return _clamp(round(rng.gauss(mean, 0.8)))


def _problems(rng, count):
    """`count` different problems (0 to 5), the common ones more often."""
    left, seen = list(zip(PROBLEMS[:-1], PROBLEM_WEIGHTS)), []
    for _ in range(min(5, max(0, count))):
        problem = rng.choices(left, [w for _p, w in left])[0]
        left.remove(problem)
        seen.append(problem[0])
    return seen


def _clamp(number):
    return min(5, max(1, number))


def _pick(rng, units, steepness):
    """A unit drawn with weight e^(steepness × mean): the better liked more often most satisfied."""
    return rng.choices([u for u, _m in units], [math.exp(steepness * m) for _u, m in units])[0]


def _point_assessment(survey, units):
    """The survey dimensions of the schemes over these departments are scored from the survey."""
    dimensions = Dimension.objects.filter(source=Dimension.Source.SURVEY, scheme__participants__in=units)
    return Dimension.objects.filter(pk__in=list(dimensions.values_list("pk", flat=True))).update(survey=survey)


def _enterprise_survey(city, units, rng, now, author):
    opens = timezone.localtime(now - timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    survey = Survey.objects.create(
        title=f"{opens.year}年“服务企业月”企业满意度调查", audience="包保企业负责人", anonymous=False,
        opens_at=opens, closes_at=opens + timedelta(days=28), created_by=author, created_at=opens - timedelta(days=2),
        intro="“万人助万企”活动期间，请包保企业对服务大使和相关部门的服务作出评价，"
              "本调查实名进行，便于对企业反映的问题逐一回访、跟踪督办。")
    survey.units.set([unit for unit, _mean in units[:6]])
    service.add_question(survey, K.SCALE, "您对包保服务大使的总体评价")
    service.add_question(survey, K.UNIT_SCALE, "请对以下部门的涉企服务分别评价")
    service.add_question(survey, K.MULTIPLE, "企业目前最需要协调解决的问题", choices=[
        "用工招工", "融资贷款", "手续审批", "水电气暖保障", "惠企政策兑现", "其他"])
    service.add_question(survey, K.TEXT, "需要政府帮助协调解决的具体问题", required=False)
    service.set_status(survey, Survey.Status.OPEN)
    invitees = [(rng.choice(SURNAMES) + rng.choice(GIVEN), name) for name, _street in ENTERPRISES]
    service.invite(survey, invitees=invitees, at=opens)
    return survey
