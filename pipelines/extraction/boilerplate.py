"""Lines that are page furniture, not article text, recognised by what they say.

Each pattern names furniture every Chinese news CMS prints the same way (ICP licences, share
bars, comment forms, related-article headings), so it holds on sites never seen.
"""

from __future__ import annotations

import re

from .text import nfkc, squeeze_names

# Always furniture, wherever the line sits and however long the line is.
_FURNITURE = re.compile(
    r"ICP[备證证]|公网安备|網安備|增值电信业务经营许可证|互联网新闻信息服务许可证"
    r"|版权所有|版權所有|Copyright|All Rights Reserved|\(c\)\s*\d{4}|©"
    r"|未经.{0,12}(?:授权|许可|同意).{0,12}(?:转载|复制|使用|镜像)"
    r"|不得(?:转载|轉載)|转载请注明|轉載請註明"
    r"|在线投稿|投稿信箱|投稿邮箱|违法和不良信息举报|举报电话|举报邮箱|举报专区"
    # Disclaimers that user-upload platforms (搜狐号, 网易号, 快传号 …) print under every post.
    r"|仅提供信息存储(?:空间)?服务|僅提供資訊儲存(?:空間)?服務|information storage services"
    r"|观点仅代表作者|觀點僅代表作者|仅代表作者(?:本人)?(?:观点|立场)|不代表本(?:网|站|平台)(?:观点|立场)",
    re.I,
)
# Furniture only when the line is short: a label, a button, a form field.
_SHORT_FURNITURE = re.compile(
    r"^(?:[【\[]?\s*(?:打印|关闭|關閉|收藏|返回顶部|返回首页|纠错|糾錯|推荐|推薦|分享|打印本页|关闭窗口"
    r"|举报|舉報|不喜欢|不喜歡|点赞|點讚|赞|讚|关注|關注|\+\s*关注|复制链接|链接已复制|播报文章)"
    r"\s*[】\]]?\s*)+$"
    r"|^A\s*[-－]\s*A\s*[+＋]|^A\s*[+＋]\s*A\s*[-－]|字号[:：]?\s*[大中小T]|字體[:：]?\s*[大中小]"
    r"|^(?:分享到|分享至|分享:|分享：|转发到|一键分享)|微信扫一扫|扫一扫|掃一掃|扫描二维码|微信扫码"
    r"|^(?:用户名|用戶名|密码|密碼|验证码|驗證碼|昵称|匿名发表|发表评论|發表評論|网友评论|我要评论"
    r"|最新评论|全部评论|评论\s*[(（]\d+|登录|注册|登入|註冊)"
    r"|^(?:上一篇|下一篇|上一页|下一页|上一條|下一條)|^【?(?:纠错|糾錯)】?$"
    r"|^(?:发布于|發佈於|IP属地|IP屬地)\s*[:：]?\s*\S{0,8}$|减少(?:或屏蔽)?此类|屏蔽此类|此类推荐"
    r"|^(?:关于我们|聯絡我們|联系我们|网站地图|友情链接|意见反馈|广告服务|手机版|返回首页|帮助中心)"
    r"|^(?:点击|點擊|阅读|閱讀|浏览|瀏覽)(?:量|数|次数)?[:：]?\s*\d+|^\d+\s*(?:人)?(?:阅读|閱讀|浏览|点赞)$",
    re.I,
)
# Headings that open a list of other articles: nothing after them is this article.
_LIST_HEADING = re.compile(
    r"^[【\[]?\s*(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关文章|相關文章|相关报道|相關報導|相关链接"
    r"|相关推荐|推荐阅读|推薦閱讀|热点排行|熱點排行|热门推荐|編輯推薦|编辑推荐|猜你喜欢|猜你喜歡"
    r"|热点推荐|精彩推荐|更多精彩|热门文章|熱門文章|点击排行|排行榜|大家都在看|你可能还想看|你可能還想看"
    r"|为您推荐|為您推薦|延伸阅读|延伸閱讀|看了本文的人还看了|最新评论|網友評論|网友评论|热门评论"
    r"|今日推荐|今日推薦|往期回顾|精彩图集|热图|推荐视频|热门视频)\s*[】\]]?\s*[:：>›»]?\s*$"
)
# Staff credits and editor lines: ■统筹:…, 责任编辑：…, (编辑 张三).
_CREDITS = re.compile(
    r"^[■□●◆◇▲△▼▽★☆【\[（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|校对|校對|审核|審核|审校|監製|监制"
    r"|统筹|統籌|组稿|組稿|策划|策劃|出品|制图|製圖|设计|設計|视觉|视频|視頻|图片|圖片|摄影|攝影"
    r"|文字|撰文|编审|編審|终审|终校|初审|复审|二审|三审|值班编辑|实习编辑|排版|美编|美編"
    r"|总监制|總監製|审读|審讀|审稿|審稿|总编辑|總編輯|执行主编|主编|主編|责任校对)"
    r"\s*[：:丨|／/︱—]|^原标题\s*[:：]"
)
_EDITOR_ANYWHERE = re.compile(r"(?:责任编辑|責任編輯|责编|責編)\s*[:丨|/]")
# The print edition a web article reproduces: 《光明日报》（2024年05月20日 03版）.
_EDITION = re.compile(r"^《[^》]{2,16}》\s*\(\s*\d{4}年\d{1,2}月\d{1,2}日\s*(?:第?\s*\d+\s*版)?\s*\)$")
# Portals' app promotions, printed inside or under the article; a sentence ending in 。 that
# mentions an app (utilities' own 95598 apps are news here) is prose, not a promotion.
_APP_PROMO = re.compile(r"(?:下载|下載|打开|打開|安装|安裝)\s*(?:\S{0,8})?\s*(?:APP|App|app|客户端|客戶端)")
_PROMO = 80
_SHORT = 40
_FOLD_LIMIT = 300


def is_furniture(text: str) -> bool:
    """Tells whether a line is site furniture rather than article text."""
    folded = nfkc(text) if len(text) <= _FOLD_LIMIT else text
    if _FURNITURE.search(folded):
        return True
    if len(folded) <= _PROMO and "。" not in folded and _APP_PROMO.search(folded):
        return True
    return len(folded) <= _SHORT and _SHORT_FURNITURE.search(folded) is not None


def opens_other_articles(text: str) -> bool:
    """Tells whether a line is the heading of a related/recommended-articles list."""
    return len(text) <= 20 and _LIST_HEADING.search(nfkc(text)) is not None


def is_credit(text: str) -> bool:
    """Tells whether a line is a staff credit or an editor line, not article text."""
    if len(text) > 80:
        return False
    folded = squeeze_names(nfkc(text).strip())
    return any(pattern.search(folded) for pattern in (_CREDITS, _EDITOR_ANYWHERE, _EDITION))
