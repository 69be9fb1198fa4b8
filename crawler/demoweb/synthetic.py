"""Synthetic utility news for large webs and benchmarks: many articles, in the register of the real ones.

Sentences are drawn from templates filled with cities, units, programmes and figures, seeded so that
the same seed always gives the same web.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from crawler.demoweb.stories import DemoArticle

CITIES = ("东江", "西江", "南岭", "北湖", "青溪", "白沙", "云浮山", "临川", "清源", "梅岭", "金沙", "石门")
UNITS = ("供电局", "供电公司", "供电所", "输电管理所", "变电管理所", "配电运维中心")
TOPICS = (
    "优化电力营商环境",
    "迎峰度夏保供电",
    "农村电网巩固提升",
    "配网自动化建设",
    "带电作业",
    "智能电表全覆盖",
    "客户经理大走访",
    "防风防汛应急抢修",
    "充电基础设施建设",
    "数字电网建设",
)
TEMPLATES = (
    "近日，{city}{unit}围绕{topic}开展专项行动，组织{n}支队伍深入{city}各镇街开展服务。",
    "据统计，截至{month}月底，{city}地区客户年平均停电时间为{hours}小时，同比下降{pct}%。",
    "{city}{unit}相关负责人介绍，今年以来累计完成{topic}项目{n}个，完成投资{money}亿元。",
    "迎峰度夏期间，{city}电网负荷屡创新高，最高达到{load}万千瓦，同比增长{pct}%。",
    "“现在办电只需{days}个工作日，比以前方便多了。”{city}市民{name}说。",
    "在{city}市{year}年公共服务满意度测评中，{city}{unit}供电服务满意度排名第一，得分为{score}分。",
    "下一步，{city}{unit}将持续深化{topic}，力争到{plan}年实现供电可靠率{rate}%。",
    "为做好{topic}工作，{city}{unit}成立专项工作组，制定{n}项具体措施，明确责任分工和时间节点。",
    "{city}{unit}党委书记{name}表示，要坚持人民电业为人民的企业宗旨，把{topic}作为重点任务抓实抓细。",
    "活动中，工作人员向群众发放安全用电宣传资料{n}余份，现场解答用电咨询{m}人次。",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "明华伟芳静丽强军敏杰磊洋勇艳娟涛超斌霞平刚"


def synthetic_articles(count: int, seed: int = 7, site: str = "portal") -> Iterator[DemoArticle]:
    """Yield `count` distinct synthetic articles for one site, newest last."""
    rng = random.Random(seed)
    start = datetime(2018, 1, 1, 8, 0, 0)
    for i in range(count):
        city, unit, topic = rng.choice(CITIES), rng.choice(UNITS), rng.choice(TOPICS)
        paragraphs = tuple(
            _sentence(rng, city, unit, topic) + _sentence(rng, city, unit, topic) for _ in range(rng.randint(4, 8))
        )
        yield DemoArticle(
            key=f"syn-{seed}-{i}",
            story=f"syn-{seed}-{i}",
            site=site,
            published=start + timedelta(minutes=97 * i + rng.randint(0, 90)),
            title=f"{city}{unit}扎实推进{topic}（第{i + 1}期）",
            paragraphs=paragraphs,
            authors=(_name(rng), _name(rng)),
            source=f"{city}{unit}",
            editor=_name(rng),
        )


def _sentence(rng: random.Random, city: str, unit: str, topic: str) -> str:
    return rng.choice(TEMPLATES).format(
        city=city,
        unit=unit,
        topic=topic,
        name=_name(rng),
        n=rng.randint(3, 300),
        m=rng.randint(100, 5000),
        month=rng.randint(1, 12),
        hours=round(rng.uniform(0.5, 12), 2),
        pct=round(rng.uniform(1, 40), 2),
        money=round(rng.uniform(0.5, 90), 2),
        load=round(rng.uniform(100, 1500), 1),
        days=rng.randint(1, 5),
        year=rng.randint(2016, 2024),
        score=round(rng.uniform(75, 92), 2),
        plan=rng.randint(2025, 2030),
        rate=round(rng.uniform(99.9, 99.999), 4),
    )


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
