"""One base test class with named people, so every test reads as a sentence.

The city: 江城市 with 江南区 (a street, a community, a grid) and 江北区 beside it, and two city
departments: 城管局 (the lead unit of parking matters) and 交警支队 (its co-unit).

People:
- handler: 黄晓明, a handler in 城管局 (the responsible unit)
- colleague: 韩冰, another handler in 城管局
- unit_head: 周建国, head of 城管局
- co_handler: 孙丽, a handler in 交警支队 (the co-unit)
- dispatcher: 李娜, at the 12345 hotline centre, over the whole city
- supervisor: 王督查, in the city's 督查室, over the whole city
- district_supervisor: 赵敏, 江北区督查室, over 江北区 only
- steward: 于书记, a leader who stewards (包保) the street 西山街道 in 江南区
- outsider: 钱多多, a handler in 江北区's street office, who must see nothing of the above
- whistle_reader: 纪检员, a supervisor given the permission to see a whistle-blower
"""
import io
import struct
import zlib
from datetime import date

from django.contrib.auth.models import Permission
from django.test import TestCase

from duban.catalogue.models import Category, Channel, DispatchRule, RequestKind
from duban.ledger.machine import perform, receive
from duban.org.models import Person, Stewardship, Unit


def png_bytes(seed=0):
    """A small, valid PNG (one pixel, colour from the seed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixel = bytes([0, seed % 256, 128, 64])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b""))


def photo(name="现场照片.png", seed=0):
    return (io.BytesIO(png_bytes(seed)), name)


def build_city(cls):
    """Create the city, its catalogue and its people as attributes of `cls`."""
    U = Unit.objects.create
    cls.city = U(name="江城市", tier="city")
    cls.jiangnan = U(name="江南区", tier="district", parent=cls.city, aliases=["江南"])
    cls.xishan = U(name="西山街道", tier="street", parent=cls.jiangnan)
    cls.fuqiang = U(name="富强社区", tier="community", parent=cls.xishan)
    cls.grid = U(name="富强社区第一网格", tier="grid", parent=cls.fuqiang)
    cls.jiangbei = U(name="江北区", tier="district", parent=cls.city)
    cls.jiangbei_street = U(name="柳浪街道", tier="street", parent=cls.jiangbei)
    cls.jiangbei_community = U(name="柳浪社区", tier="community", parent=cls.jiangbei_street)
    cls.jiangbei_office = U(name="江北区督查室", tier="department", parent=cls.jiangbei)
    cls.chengguan = U(name="城市管理行政执法局", tier="department", parent=cls.city, aliases=["城管局"])
    cls.jiaojing = U(name="公安局交通警察支队", tier="department", parent=cls.city, aliases=["交警支队"])
    cls.hotline = U(name="12345热线中心", tier="department", parent=cls.city)
    cls.duchashi = U(name="市政府督查室", tier="department", parent=cls.city)

    C = Category.objects.create
    cls.city_management = C(name="城市管理", default_kind=RequestKind.COMPLAINT)
    cls.parking = C(name="停车秩序", parent=cls.city_management)
    cls.zombie_car = C(name="僵尸车", parent=cls.parking)
    cls.sanitation = C(name="垃圾清理", parent=cls.city_management)
    cls.policy = C(name="政策咨询", default_kind=RequestKind.INQUIRY)
    cls.hotline_channel = Channel.objects.get(code="hotline")

    cls.parking_rule = DispatchRule.objects.create(category=cls.parking, lead_unit=cls.chengguan)
    cls.parking_rule.co_units.add(cls.jiaojing)

    P = Person.objects.create_user
    cls.handler = P("huang", name="黄晓明", role="handler", unit=cls.chengguan)
    cls.colleague = P("han", name="韩冰", role="handler", unit=cls.chengguan)
    cls.unit_head = P("zhou", name="周建国", role="unit_head", unit=cls.chengguan)
    cls.co_handler = P("sun", name="孙丽", role="handler", unit=cls.jiaojing)
    cls.dispatcher = P("li", name="李娜", role="dispatcher", unit=cls.hotline, scope=cls.city)
    cls.supervisor = P("wang", name="王督查", role="supervisor", unit=cls.duchashi, scope=cls.city)
    cls.district_supervisor = P("zhao", name="赵敏", role="supervisor", unit=cls.jiangbei_office,
                                scope=cls.jiangbei)
    cls.steward = P("yu", name="于书记", role="leader", unit=cls.jiangnan)
    Stewardship.objects.create(person=cls.steward, kind="unit", unit=cls.xishan, starts_on=date(2020, 1, 1))
    cls.outsider = P("qian", name="钱多多", role="handler", unit=cls.jiangbei_street)
    cls.whistle_reader = P("ji", name="纪检员", role="supervisor", unit=cls.duchashi, scope=cls.city)
    cls.whistle_reader.user_permissions.add(Permission.objects.get(codename="view_whistleblower"))


class DubanTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_city(cls)

    @classmethod
    def new_ticket(cls, **fields):
        values = {"kind": RequestKind.COMPLAINT, "category": cls.zombie_car, "channel": cls.hotline_channel,
                  "title": "小区门口僵尸车占道", "description": "一辆白色轿车在富强小区门口停了半年，落满灰尘。",
                  "address": "江南区富强小区东门", "area": cls.grid, "reporter_name": "周大爷",
                  "reporter_phone": "13812345678"}
        values.update(fields)
        return receive(actor=cls.dispatcher, **values)

    @classmethod
    def dispatched_ticket(cls, **fields):
        ticket = cls.new_ticket(**fields)
        perform(ticket, "dispatch", cls.dispatcher)
        return ticket

    @classmethod
    def resolved_ticket(cls, **fields):
        ticket = cls.dispatched_ticket(**fields)
        perform(ticket, "acknowledge", cls.handler)
        perform(ticket, "resolve", cls.handler, text="已联系车主将车辆拖离", files=[photo()])
        return ticket
