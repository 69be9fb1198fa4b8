"""Who wrote it and where it came from: 作者/记者/通讯员, 来源, 编辑 on byline lines.

A byline line is read label by label ("来源：新华网 作者：张三 编辑：李四"); a value runs until
the next label. Editors are kept apart and never counted as authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .boilerplate import is_furniture
from .text import nfkc, squeeze_names

_SOURCE_LABELS = r"来源|來源|稿源|出处|出處|转自|轉自|转载自|本文来源|文章来源|信息来源|新闻来源|消息来源"
_AUTHOR_LABELS = (
    r"作者|作\s者|撰文|撰稿|文字|采写|採寫|特约评论员|评论员|評論員|通讯员|通訊員"
    r"|特约记者|见习记者|实习记者|记者|記者|文"
)
_EDITOR_LABELS = (
    r"责任编辑|責任編輯|责编|責編|值班编辑|实习编辑|编辑|編輯|审核|審核|校对|校對"
    r"|监制|監製|统筹|統籌|主编|主編"
)
_OTHER_LABELS = (
    r"发布时间|發佈時間|发表时间|發表時間|时间|時間|日期|发布|發布|浏览|瀏覽|阅读|閱讀"
    r"|点击|點擊|字号|字體|分享|评论|評論|摄影|攝影|图片|圖片|图|圖|排版|选稿|選稿|美编|美編"
    r"|制图|製圖|设计|設計|视觉|視覺|策划|策劃|出品|审读|審讀|标签|標籤|关键词|關鍵詞"
)
_LABEL = re.compile(
    rf"(?P<label>{_SOURCE_LABELS}|{_EDITOR_LABELS}|{_AUTHOR_LABELS}|{_OTHER_LABELS})"
    r"\s*(?P<sep>[:丨|/︱—]|\s)"
)
# Labels whose value may follow a plain space; the others need a colon or a bar.
_SPACE_OK = frozenset({"记者", "記者", "通讯员", "通訊員", "责任编辑", "責任編輯", "编辑", "編輯",
                       "来源", "來源", "作者", "评论员", "評論員", "特约评论员"})  # fmt: skip
_SENTENCE = re.compile(r"[。！？!?]")
_HAS_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")
# Reporter credits inside running text: "新华社记者邹多为、唐诗凝", "(记者 叶婉)", "电(刘艺、杨吉)".
_CREDIT = re.compile(
    r"(?:[(\[〔【]\s*[^()\[\]〔〕【】]{0,12}?(?:记者|記者|通讯员|通訊員|评论员|評論員|作者)\s*:?\s*"
    r"(?P<paren>[^()\[\]〔〕【】]{2,40}?)\s*[)\]〕】]"
    r"|电\s*\((?P<wire>[\u4e00-\u9fff·、, ]{2,30})\))"
)
_REPORTER = re.compile(
    r"(?:记者|記者|通讯员|通訊員)\s*:?\s*(?P<names>[\u4e00-\u9fff·]{2,4}(?:[、, ]+"
    r"[\u4e00-\u9fff·]{2,4})*)"
)
# "本报记者 冯晓铭 摄" credits a photographer, not an author.
# font-size, share and print controls that sit on the byline line right after the source
_PAGE_CONTROLS = re.compile(r"\s+(?:[AaＡ]\s*[-+－＋]|字[号體体]|【|\[|分享|打印|收藏|浏览|瀏覽|阅读|閱讀|点击|點擊)")
_PHOTO_CREDIT = re.compile(r"(?:摄|攝|摄影|攝影|供图|供圖)\s*\)?\s*$")
_ROLE_PREFIX = re.compile(r"^.*?(?:记者|記者|通讯员|通訊員|评论员|評論員)\s*:?\s*")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$|^[A-Za-z][A-Za-z .'-]*[A-Za-z]{2}[A-Za-z .'-]*$")
_HAN = re.compile("[\u4e00-\u9fff]")
_LATIN_SPLIT = re.compile(r"\s*(?:[,;/&、]|\band\b)\s*", re.I)
_NAME_SPLIT = re.compile(r"[、,，;；\s/]+|(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff])")
_NOT_NAME = re.compile(
    r"报道|報導|报|新闻|新聞|日报|日報|网|網|社|台|电|電|讯|訊|编|撰|记者|记|者"
    r"|了|的|是|在|说|說|从|從|到|获悉|表示|介绍|发布|图|摄|供|本|题|关注|關注"
)
_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余"
    "元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻"
    "强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣邓郁"
    "单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山"
    "谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰鄂索咸"
    "籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍桑桂濮牛寿通边扈燕冀郏浦尚农温"
    "庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越"
    "夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾沙乜养鞠须丰巢关蒯相查荆红游竺权逯盖益桓公晋楚闫法"
    "汝鄢涂钦岳帅缑亢况商牟佘佴墨哈谯笪年阳佟付邝覃谌揭冼隋綦矫兰雒粟栗操"
    "趙錢孫鄭馮陳衛蔣韓楊許呂張嚴華謝鄒竇蘇範魯韋馬鳳鮑費賀湯羅畢鄔樂時齊顧黃蕭貝臧計紀項"
    "閔賈婁顏鍾駱樊淩萬盧經繆龔鄧單諸紐邢裴陸榮儲車侯龐熊強鄺劉葉黎龍賴喬閻廖歐聶簡饒關遊"
    "蔡戴鐘溫莊譚區"
)


@dataclass
class Byline:
    """Authors, source and editor found on a page's byline lines."""

    authors: list[str] = field(default_factory=list)
    source: str | None = None
    editor: str | None = None

    def add_authors(self, names: list[str]) -> None:
        """Adds names not already present, keeping order."""
        for name in names:
            if name not in self.authors and name != self.editor:
                self.authors.append(name)


def read_labels(line: str, byline: Byline) -> None:
    """Reads every "label: value" pair on a line into the byline."""
    line = nfkc(line)
    if _PHOTO_CREDIT.search(line):
        return
    found = list(_LABEL.finditer(line))
    for position, match in enumerate(found):
        label = match.group("label")
        if match.group("sep").isspace() and label not in _SPACE_OK:
            continue
        end = found[position + 1].start() if position + 1 < len(found) else len(line)
        value = _trim(line[match.end() : end])
        if value:
            _assign(label, value, byline)


def _assign(label: str, value: str, byline: Byline) -> None:
    """Files one labelled value as source, editor or authors."""
    if re.fullmatch(_SOURCE_LABELS, label):
        byline.source = byline.source or _source_value(value)
    elif re.fullmatch(_EDITOR_LABELS, label):
        if label in ("责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "值班编辑", "实习编辑"):
            names = split_names(value, strict=False)
            byline.editor = byline.editor or (" ".join(names) if names else None)
    elif re.fullmatch(_AUTHOR_LABELS, label):
        byline.add_authors(split_names(value, strict=label == "文"))


def _trim(value: str) -> str:
    """Strips separators and brackets a value picks up between labels."""
    return value.strip(" \t:|丨/·•,，;；()[]【】〔〕<>《》\"'“”").strip()


def _source_value(value: str) -> str | None:
    """Cleans a 来源 value: first phrase only, no trailing date or punctuation."""
    value = _PAGE_CONTROLS.split(re.split(r"\s{1,}(?=\d)|\s{2,}|[|丨]| (?=[\u4e00-\u9fff]{1,4}[:：])", value)[0])[0]
    value = re.sub(r"[\d:\-/. ]+$", "", value).strip(" ,，。")
    if not value or len(value) > 30 or _SENTENCE.search(value) or not _HAS_WORD.search(value):
        return None
    if is_furniture(value):
        return None
    return value


def split_names(value: str, *, strict: bool = True) -> list[str]:
    """Splits "张三、李四 王五" (or "By Jane Smith and Li Wei") into names, dropping non-names."""
    value = re.split(r"[。!?！？]|\d", value)[0]
    if not _HAN.search(value):
        value = re.sub(r"^\s*by\s+", "", value, flags=re.I)
        return [token.strip() for token in _LATIN_SPLIT.split(value) if _NAME.match(token.strip())]
    names = []
    for token in _NAME_SPLIT.split(value):
        token = token.strip("()（）[]【】")
        if not token or not _NAME.match(token):
            continue
        hanzi = _HAN.match(token) is not None
        if hanzi and (_NOT_NAME.search(token) or (strict and token[0] not in _SURNAMES)):
            continue
        names.append(token)
    return names


def read_credits(text: str, byline: Byline) -> None:
    """Reads reporter credits printed inside running text, in parentheses or after 记者."""
    text = nfkc(text)
    if _PHOTO_CREDIT.search(text):
        return
    for match in _CREDIT.finditer(text):
        value = match.group("paren") or match.group("wire") or ""
        value = _ROLE_PREFIX.sub("", re.split(r"[/／]", value)[0])
        byline.add_authors(split_names(squeeze_names(value) if "、" in value else value))
    for match in _REPORTER.finditer(text[:200]):
        byline.add_authors(_leading_names(match.group("names")))


def _leading_names(value: str) -> list[str]:
    """Returns the names that directly follow 记者, stopping at the first word that is not one."""
    names = []
    for token in _NAME_SPLIT.split(value):
        found = split_names(token)
        if not found:
            break
        names.extend(found)
    return names
