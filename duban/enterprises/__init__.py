"""Enterprises, their cadres, visits and requests (万人助万企, 服务大使, 敲门行动)."""
