"""What must be done inside django-helpdesk's own Django (its venv, its ORM), run by bench/peer/__init__.py:

    python -m peer.helpdesk_side prepare      # migrate, the bench superuser, the hotline queue
    python -m peer.helpdesk_side staff 400    # the staff and queues a fill assigns tickets to

Each prints one JSON line on stdout. Both are idempotent.
"""
import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from helpdesk.models import Queue, UserSettings  # noqa: E402

from peer import PASSWORD, QUEUE_SLUG, QUEUE_TITLE, QUEUES, USERNAME  # noqa: E402

User = get_user_model()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建华", "志强", "晓燕", "海燕", "建国", "红梅", "文博", "雨涵"]


def prepare():
    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(USERNAME, "bench@jc12345.gov.cn", PASSWORD,
                                             first_name="测试", last_name="压测")
    elif not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    queue = Queue.objects.filter(slug=QUEUE_SLUG).first()
    if queue is None:
        queue = Queue.objects.create(title=QUEUE_TITLE, slug=QUEUE_SLUG, allow_public_submission=False,
                                     allow_email_submission=False)
    return {"user_id": user.pk, "queue_id": queue.pk}


@transaction.atomic
def staff(count):
    """`count` staff users staff001… (who cannot log in) with their helpdesk settings, and the queues."""
    names = [f"staff{n:03d}" for n in range(1, count + 1)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = []
    for n, name in enumerate(names):
        if name in have:
            continue
        user = User(username=name, is_staff=True, email=f"{name}@jc12345.gov.cn",
                    last_name=SURNAMES[n % len(SURNAMES)], first_name=GIVEN[(n * 7) % len(GIVEN)])
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new)  # bulk_create sends no post_save, so helpdesk's settings rows by hand:
    users = list(User.objects.filter(username__in=names).order_by("username"))
    settled = set(UserSettings.objects.filter(user__in=users).values_list("user_id", flat=True))
    UserSettings.objects.bulk_create([UserSettings(user=u) for u in users if u.pk not in settled])
    queues = []
    for title, slug in QUEUES:
        queue = Queue.objects.filter(slug=slug).first() or Queue.objects.create(
            title=title, slug=slug, allow_public_submission=False, allow_email_submission=False)
        queues.append(queue.pk)
    bench = User.objects.get(username=USERNAME)
    return {"user_ids": [u.pk for u in users], "bench_id": bench.pk, "queue_ids": queues}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = prepare() if command == "prepare" else staff(int(args[0]))
    print(json.dumps(result))
