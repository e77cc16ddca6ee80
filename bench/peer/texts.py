"""Chinese hotline complaints for django-helpdesk's tables: one for the i-th API request, and the rows of a
fill as text for PostgreSQL's COPY (tab-separated, \\N for null), generated in large chunks.

Everything here is stdlib and deterministic: the same (size, seed, anchor) gives the same bytes.
"""
import random
from datetime import date

DISTRICTS = ("东湖区", "西山区", "南城区", "北塘区", "江北新区", "高新区", "经开区", "临江县")
ROADS = ("人民路", "解放大道", "中山路", "建设路", "长江路", "和平街", "新华路", "光明路", "学府路", "滨江大道",
         "文化路", "友谊路", "胜利街", "幸福路", "工业大道", "青年路", "环城北路", "朝阳街")
PLACES = ("小区", "院", "菜市场", "公交站旁", "路口", "小学门口", "地铁站出口", "公园", "商铺", "老旧小区",
          "农贸市场", "医院对面")  # after a street number: 人民路12号小区
# (title, what is wrong, the queue it belongs to: an index into peer.QUEUES)
PROBLEMS = (
    ("夜间施工噪音扰民", "夜间施工噪音很大，晚上十一点以后还在打桩，严重影响周边居民休息", 1),
    ("占道经营", "流动摊贩长期占用人行道经营，行人只能走机动车道，存在安全隐患", 1),
    ("路灯不亮", "路灯已经坏了半个多月，晚上一片漆黑，老人孩子出行很不方便", 1),
    ("垃圾清运不及时", "垃圾桶满了好几天没人清运，气味很大，招来很多蚊蝇", 1),
    ("违章停车堵路", "车辆长期乱停乱放，把消防通道都堵住了", 3),
    ("下水道堵塞污水外溢", "下水道堵塞，污水漫到路面上，臭气熏天", 7),
    ("餐馆油烟扰民", "楼下餐馆油烟直排，家里窗户都不敢开", 7),
    ("物业不作为", "物业费照收，但电梯经常坏，报修以后一直没人来修", 2),
    ("拖欠农民工工资", "在工地干了三个月，老板拖欠工资至今未付，找了好几次都推脱", 5),
    ("供暖温度不达标", "室内温度只有十四五度，家里老人孩子都冻感冒了", 2),
    ("小区停水无通知", "小区突然停水，事先没有任何通知，已经停了一整天", 2),
    ("公交车严重晚点", "公交车经常晚点半小时以上，早高峰根本挤不上车", 3),
    ("道路破损坑洼", "路面坑洼严重，雨天积水，电动车经过很容易摔倒", 3),
    ("商家拒绝退换货", "在商场买的电器出现质量问题，商家拒绝退换，还态度恶劣", 4),
    ("餐饮店卫生问题", "在这家店吃饭后全家腹泻，怀疑食材不新鲜，后厨卫生很差", 4),
    ("异地就医报销慢", "异地就医报销材料交了两个月，一直没有结果，打电话也没人接", 5),
    ("入学学位申请无结果", "孩子入学的学位申请材料早就提交了，至今没有审核结果", 6),
    ("绿化树木遮挡", "小区绿化树长得太高，遮挡阳光，树枝已经碰到电线", 1),
    ("井盖缺失", "人行道上的井盖丢了，只用一个塑料桶挡着，晚上非常危险", 3),
    ("楼顶违章搭建", "有住户在楼顶私自搭建彩钢房，存在消防隐患", 1),
)
INTROS = ("市民来电反映：", "市民反映：", "来电人称：", "网友留言：", "市民通过微信公众号反映：", "市民通过12345热线反映：")
WHENS = ("近一周以来，", "从上个月开始，", "最近几天，", "已经持续两个多月，", "每天早上六点左右，", "每天晚上十点以后，")
DEMANDS = ("希望相关部门尽快处理。", "请有关部门核实处理并回复。", "之前已经反映过一次，至今没有解决，请求督办。",
           "希望尽快派人到现场查看。", "要求相关单位给个说法。")
CONTACTS = ("王先生", "李女士", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "周女士")
RESOLUTIONS = ("经核实，已责成相关单位整改完毕，并电话回复市民，市民表示认可。", "已安排人员到现场处理，问题已解决。",
               "已联系物业公司限期整改，整改后已回访市民。", "经现场查看，情况属实，已纳入维修计划。",
               "已向市民解释相关政策，市民表示理解。", "已协调责任单位处理，市民对结果满意。")
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com")
# follow-up titles as helpdesk writes them in Chinese (its zh_Hans catalogue)
OPENED, SOLVED, CLOSED, REOPENED, NOTE = "开工单", "已解决", "已关闭", "重新打开", "评论"
OPEN, REOPEN, RESOLVED, CLOSE = 1, 2, 3, 4  # helpdesk's status numbers
PRIORITIES = (1,) * 3 + (2,) * 12 + (3,) * 60 + (4,) * 15 + (5,) * 10  # 1 = highest
HOTLINE_SHARE = 0.4  # of tickets that stay in the general hotline queue rather than a topic's queue
DAY = 86400


def complaint(i):
    """The i-th distinct complaint: (title, description, priority, submitter e-mail)."""
    title, wrong, _ = PROBLEMS[i % len(PROBLEMS)]
    district, road = DISTRICTS[(i // 3) % len(DISTRICTS)], ROADS[(i // 7) % len(ROADS)]
    place = f"{road}{i % 97 + 1}号{PLACES[(i // 11) % len(PLACES)]}"
    description = (f"{INTROS[i % len(INTROS)]}{district}{place}{WHENS[(i // 5) % len(WHENS)]}{wrong}。"
                   f"{DEMANDS[(i // 2) % len(DEMANDS)]}\n联系人：{CONTACTS[i % len(CONTACTS)]}（来电编号 {i}）")
    email = f"citizen{i}@{MAIL_DOMAINS[i % len(MAIL_DOMAINS)]}"
    return f"{district}{place}{title}", description, PRIORITIES[(i * 37) % len(PRIORITIES)], email


TICKET_COLUMNS = ("id", "title", "queue_id", "created", "modified", "submitter_email", "assigned_to_id", "status",
                  "on_hold", "description", "resolution", "priority", "due_date", "last_escalation", "secret_key",
                  "kbitem_id", "merged_to_id")
FOLLOWUP_COLUMNS = ("id", "ticket_id", "date", "title", "comment", "public", "user_id", "new_status", "message_id",
                    "time_spent", "email_recipients")


def chunks(size, seed, anchor_day, queue_ids, staff_ids, chunk=20_000, days=365):
    """Yield (ticket rows, follow-up rows) as COPY text bytes, `chunk` tickets at a time.

    Tickets 1..size arrive evenly over the `days` days before `anchor_day` (a date), in id order, in
    the queues of `queue_ids` (the first is the general hotline: HOTLINE_SHARE of them; the rest by
    topic), each assigned to one of `staff_ids`. Older than a month: 97% closed, the rest resolved,
    open or reopened; the last month: 60% closed, 15% resolved, 20% open (a fifth of those not yet
    assigned), 5% reopened. Follow-ups as helpdesk writes them: the opening one (the description again,
    public, by the staff member who took the call), then a resolution and a closing, a note on some
    open tickets, a reopening: two per ticket on average.
    """
    rng = random.Random(seed)
    rand, bits = rng.random, rng.getrandbits
    first_day = anchor_day.toordinal() - days
    day_text = {d: f"{date.fromordinal(d).isoformat()} " for d in range(first_day, first_day + days + 90)}
    clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]
    span = days * DAY
    nq, ns = len(queue_ids), len(staff_ids)
    hotline = queue_ids[0]
    fid = 0
    tickets, followups = [], []
    tappend, fappend = tickets.append, followups.append

    def stamp(seconds):
        day, second = divmod(seconds, DAY)
        return day_text[first_day + day] + clock[second]

    for tid in range(1, size + 1):
        at = int((tid - 1 + rand()) * span / size)
        created = stamp(at)
        p = int(rand() * 1_000_000)
        title, wrong, topic = PROBLEMS[p % len(PROBLEMS)]
        district, road = DISTRICTS[p // 20 % 8], ROADS[p // 160 % 18]
        place = f"{road}{p // 2880 % 120 + 1}号{PLACES[p // 345600 % 12]}"
        description = (f"{INTROS[p % 6]}{district}{place}{WHENS[p // 7 % 6]}{wrong}。{DEMANDS[p // 11 % 5]}"
                       f"\\n联系人：{CONTACTS[p // 13 % 8]}")
        queue = hotline if rand() < HOTLINE_SHARE else queue_ids[topic % nq]
        staffer = staff_ids[int(rand() * ns)]
        recent = span - at < 30 * DAY
        s = rand()
        if recent:
            status = CLOSE if s < 0.60 else RESOLVED if s < 0.75 else OPEN if s < 0.95 else REOPEN
        else:
            status = CLOSE if s < 0.97 else RESOLVED if s < 0.985 else OPEN if s < 0.995 else REOPEN
        assignee = "\\N" if status == OPEN and rand() < 0.2 else staffer
        handled = at + int(DAY * (0.5 + 20 * rand() * rand()))  # most within days, a few after weeks
        modified = stamp(min(handled, span - 1)) if status != OPEN else created
        resolution = RESOLUTIONS[p // 17 % 6] if status in (RESOLVED, CLOSE) else "\\N"
        email = f"m{p}@{MAIL_DOMAINS[p % 5]}" if p % 5 < 3 else "\\N"  # callers often give none
        due = stamp(at + 15 * DAY) if p % 4 == 0 else "\\N"
        key = f"{bits(128):032x}"
        tappend(f"{tid}\t{district}{place}{title}\t{queue}\t{created}\t{modified}\t{email}\t{assignee}\t{status}\tf\t"
                f"{description}\t{resolution}\t{PRIORITIES[p % 100]}\t{due}\t\\N\t"
                f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}\t\\N\t\\N\n")
        fid += 1
        fappend(f"{fid}\t{tid}\t{created}\t{OPENED}\t{description}\tt\t{staffer}\t\\N\t\\N\t\\N\t\\N\n")
        if status == OPEN:
            if p % 2:
                fid += 1
                fappend(f"{fid}\t{tid}\t{created}\t{NOTE}\t已联系来电人，正在核实情况。\tf\t{staffer}\t\\N\t\\N\t\\N\t\\N\n")
        elif status == REOPEN:
            fid += 1
            fappend(f"{fid}\t{tid}\t{modified}\t{REOPENED}\t来电人表示问题仍未解决，重新办理。\tt\t{staffer}\t{REOPEN}\t\\N\t\\N\t\\N\n")
        else:
            fid += 1
            done = SOLVED if status == RESOLVED else CLOSED
            fappend(f"{fid}\t{tid}\t{modified}\t{done}\t{resolution}\tt\t{staffer}\t{status}\t\\N\t\\N\t\\N\n")
        if tid % chunk == 0 or tid == size:
            yield "".join(tickets).encode(), "".join(followups).encode()
            tickets.clear()
            followups.clear()
