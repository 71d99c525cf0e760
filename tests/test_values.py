"""Table-driven: how every way news writes money and percentages normalizes.

Each case runs the whole pipeline on a short text and checks the one fact at
the given span. Columns: text, span, value, low, high, qualifier, unit, per.
`...` in low/high means "as the qualifier implies" (exact: both = value,
over: low = value, under: high = value, approx: neither).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhipu_facts import extract_text
from zhipu_facts.engine.rules import load_rules

R = load_rules()
E = ...

# fmt: off
MONEY = [
    # signs, changes and levels
    ("净利润-1,234,567.89元", "-1,234,567.89元", -1234567.89, E, E, "exact", "CNY", None),
    ("淨利潤為-3.15億元", "-3.15億元", -315000000, E, E, "exact", "CNY", None),
    ("净亏损为－6.8亿元", "－6.8亿元", -680000000, E, E, "exact", "CNY", None),
    ("营收减少2亿元", "2亿元", -200000000, E, E, "exact", "CNY", None),
    ("市值蒸发超过1000亿美元", "超过1000亿美元", -1e11, None, -1e11, "over", "USD", None),
    ("净亏损收窄至0.8亿元", "0.8亿元", 80000000, E, E, "exact", "CNY", None),
    ("股东减持不超过3亿元", "不超过3亿元", 3e8, None, 3e8, "under", "CNY", None),
    ("募资不超8亿元", "不超8亿元", 8e8, None, 8e8, "under", "CNY", None),
    ("回购上限为8亿元", "上限为8亿元", 8e8, None, 8e8, "under", "CNY", None),
    # numerals: approximate, 十几, 兆, compound, currencies after 元
    ("营收达七八亿元", "七八亿元", None, 7e8, 8e8, "range", "CNY", None),
    ("虧損三四千萬元", "三四千萬元", None, 3e7, 4e7, "range", "CNY", None),
    ("利润十几万元", "十几万元", None, 110000, 190000, "range", "CNY", None),
    ("投入二十几亿元", "二十几亿元", None, 2.1e9, 2.9e9, "range", "CNY", None),
    ("預算達四十九兆九千五百九十二億日元", "四十九兆九千五百九十二億日元", 49959200000000, E, E, "exact", "JPY", None),
    ("售价为6元1角", "6元1角", 6.1, E, E, "exact", "CNY", None),
    ("合计123元1角1分", "123元1角1分", 123.11, E, E, "exact", "CNY", None),
    ("豆浆2块5毛钱", "2块5毛钱", 2.5, E, E, "exact", "CNY", None),
    ("交易对价为五万元欧元", "五万元欧元", 50000, E, E, "exact", "EUR", None),
    ("月薪2——3万港币", "2——3万港币", None, 20000, 30000, "range", "HKD", None),
    ("月薪二十至三十万元", "二十至三十万元", None, 200000, 300000, "range", "CNY", None),
    ("套餐从6000到2万元", "6000到2万元", None, 6000, 20000, "range", "CNY", None),
    ("投资5亿泰铢", "5亿泰铢", 5e8, E, E, "exact", "THB", None),
    ("營收達12.5億印尼盾", "12.5億印尼盾", 1.25e9, E, E, "exact", "IDR", None),
    ("净利润3.5 billion yuan", "3.5 billion yuan", 3.5e9, E, E, "exact", "CNY", None),
    # Arabic numbers, separators, decimals, spaces, full-width forms
    ("营收30亿元", "30亿元", 3e9, E, E, "exact", "CNY", None),
    ("估值243.77 億元", "243.77 億元", 24377000000, E, E, "exact", "CNY", None),
    ("收入为1,234.5万元", "1,234.5万元", 12345000, E, E, "exact", "CNY", None),
    ("余额为82，225.00元", "82，225.00元", 82225, E, E, "exact", "CNY", None),
    ("融资３０亿元", "３０亿元", 3e9, E, E, "exact", "CNY", None),
    ("融資３０億元", "３０億元", 3e9, E, E, "exact", "CNY", None),
    ("成本为1.1亿元", "1.1亿元", 110000000, E, E, "exact", "CNY", None),
    ("亏损16.4亿元", "16.4亿元", 1640000000, E, E, "exact", "CNY", None),
    ("虧損16.4億元", "16.4億元", 1640000000, E, E, "exact", "CNY", None),
    ("收入0.6 亿元", "0.6 亿元", 60000000, E, E, "exact", "CNY", None),
    ("投入22.0 億元", "22.0 億元", 2200000000, E, E, "exact", "CNY", None),
    ("净利润1亿1595万元", "1亿1595万元", 115950000, E, E, "exact", "CNY", None),
    ("补贴3万4000元", "3万4000元", 34000, E, E, "exact", "CNY", None),
    ("市场规模达1.2万亿元", "1.2万亿元", 1.2e12, E, E, "exact", "CNY", None),
    ("市場規模達1.2萬億元", "1.2萬億元", 1.2e12, E, E, "exact", "CNY", None),
    ("投资5千亿元", "5千亿元", 5e11, E, E, "exact", "CNY", None),
    ("估值500万美元", "500万美元", 5e6, E, E, "exact", "USD", None),
    ("融资2.5千万元", "2.5千万元", 25000000, E, E, "exact", "CNY", None),
    ("支出5百万元", "5百万元", 5e6, E, E, "exact", "CNY", None),
    ("售价199元", "199元", 199, E, E, "exact", "CNY", None),
    ("单价0.5元", "0.5元", 0.5, E, E, "exact", "CNY", None),
    # Chinese numerals, simplified and traditional, financial capitals
    ("募资三千万元", "三千万元", 3e7, E, E, "exact", "CNY", None),
    ("募資三千萬元", "三千萬元", 3e7, E, E, "exact", "CNY", None),
    ("注资二十五亿元", "二十五亿元", 2.5e9, E, E, "exact", "CNY", None),
    ("注資二十五億元", "二十五億元", 2.5e9, E, E, "exact", "CNY", None),
    ("投资一万五千亿元", "一万五千亿元", 1.5e12, E, E, "exact", "CNY", None),
    ("拨款两亿元", "两亿元", 2e8, E, E, "exact", "CNY", None),
    ("撥款兩億元", "兩億元", 2e8, E, E, "exact", "CNY", None),
    ("获得十亿美元", "十亿美元", 1e9, E, E, "exact", "USD", None),
    ("获得一百零五万元", "一百零五万元", 1050000, E, E, "exact", "CNY", None),
    ("合同金额为壹佰万元", "壹佰万元", 1e6, E, E, "exact", "CNY", None),
    ("合同金額為叁仟萬元", "叁仟萬元", 3e7, E, E, "exact", "CNY", None),
    ("奖金为廿万元", "廿万元", 200000, E, E, "exact", "CNY", None),
    ("奖励五十万元", "五十万元", 500000, E, E, "exact", "CNY", None),
    ("捐款一千二百万元", "一千二百万元", 12000000, E, E, "exact", "CNY", None),
    ("估值三百亿美元", "三百亿美元", 3e10, E, E, "exact", "USD", None),
    ("耗资十五点五亿元", "十五点五亿元", 1.55e9, E, E, "exact", "CNY", None),
    # currencies, suffix and prefix, both scripts
    ("募资3亿美元", "3亿美元", 3e8, E, E, "exact", "USD", None),
    ("融资5亿美金", "5亿美金", 5e8, E, E, "exact", "USD", None),
    ("市值3000亿港元", "3000亿港元", 3e11, E, E, "exact", "HKD", None),
    ("市值3000億港元", "3000億港元", 3e11, E, E, "exact", "HKD", None),
    ("市值200亿港币", "200亿港币", 2e10, E, E, "exact", "HKD", None),
    ("市值200億港幣", "200億港幣", 2e10, E, E, "exact", "HKD", None),
    ("收购价10亿欧元", "10亿欧元", 1e9, E, E, "exact", "EUR", None),
    ("收購價10億歐元", "10億歐元", 1e9, E, E, "exact", "EUR", None),
    ("投资500亿日元", "500亿日元", 5e10, E, E, "exact", "JPY", None),
    ("投資500億日圓", "500億日圓", 5e10, E, E, "exact", "JPY", None),
    ("罚款2亿英镑", "2亿英镑", 2e8, E, E, "exact", "GBP", None),
    ("罰款2億英鎊", "2億英鎊", 2e8, E, E, "exact", "GBP", None),
    ("营收30亿新台币", "30亿新台币", 3e9, E, E, "exact", "TWD", None),
    ("營收30億新臺幣", "30億新臺幣", 3e9, E, E, "exact", "TWD", None),
    ("营收30亿台币", "30亿台币", 3e9, E, E, "exact", "TWD", None),
    ("投资1万亿韩元", "1万亿韩元", 1e12, E, E, "exact", "KRW", None),
    ("融资2亿新加坡元", "2亿新加坡元", 2e8, E, E, "exact", "SGD", None),
    ("收购价5亿澳元", "5亿澳元", 5e8, E, E, "exact", "AUD", None),
    ("融资人民币12.8亿元", "人民币12.8亿元", 1.28e9, E, E, "exact", "CNY", None),
    ("融资12.8亿元人民币", "12.8亿元人民币", 1.28e9, E, E, "exact", "CNY", None),
    ("融資12.8億元人民幣", "12.8億元人民幣", 1.28e9, E, E, "exact", "CNY", None),
    ("融资12.8亿人民币", "12.8亿人民币", 1.28e9, E, E, "exact", "CNY", None),
    ("收入RMB 500万", "RMB 500万", 5e6, E, E, "exact", "CNY", None),
    ("售价¥199", "¥199", 199, E, E, "exact", "CNY", None),
    ("售價￥199", "￥199", 199, E, E, "exact", "CNY", None),
    ("估值$3.4B", "$3.4B", 3.4e9, E, E, "exact", "USD", None),
    ("获得US$1 billion投资", "US$1 billion", 1e9, E, E, "exact", "USD", None),
    ("募资US$500 million", "US$500 million", 5e8, E, E, "exact", "USD", None),
    ("收入USD 2.5 billion", "USD 2.5 billion", 2.5e9, E, E, "exact", "USD", None),
    ("发行价HK$28.5", "HK$28.5", 28.5, E, E, "exact", "HKD", None),
    ("收入€50 million", "€50 million", 5e7, E, E, "exact", "EUR", None),
    ("市值£2bn", "£2bn", 2e9, E, E, "exact", "GBP", None),
    # qualifiers: prefix, suffix, infix, 了-gap
    ("估值超过200亿元", "超过200亿元", 2e10, E, E, "over", "CNY", None),
    ("估值已经超过了200亿元", "200亿元", 2e10, E, E, "over", "CNY", None),
    ("融资超10亿元", "超10亿元", 1e9, E, E, "over", "CNY", None),
    ("融資超10億元", "超10億元", 1e9, E, E, "over", "CNY", None),
    ("累计融资逾83亿元", "逾83亿元", 8.3e9, E, E, "over", "CNY", None),
    ("估值突破1000亿元", "突破1000亿元", 1e11, E, E, "over", "CNY", None),
    ("收入10亿元以上", "10亿元以上", 1e9, E, E, "over", "CNY", None),
    ("收入至少5亿元", "至少5亿元", 5e8, E, E, "over", "CNY", None),
    ("融资约3亿美元", "约3亿美元", 3e8, E, E, "approx", "USD", None),
    ("融資約3億美元", "約3億美元", 3e8, E, E, "approx", "USD", None),
    ("亏损近20亿元", "近20亿元", 2e9, E, E, "approx", "CNY", None),
    ("亏损接近20亿元", "接近20亿元", 2e9, E, E, "approx", "CNY", None),
    ("收入3亿元左右", "3亿元左右", 3e8, E, E, "approx", "CNY", None),
    ("收入3亿元上下", "3亿元上下", 3e8, E, E, "approx", "CNY", None),
    ("市值200来亿港币", "200来亿港币", 2e10, E, E, "approx", "HKD", None),
    ("融资100多亿元", "100多亿元", 1e10, E, E, "over", "CNY", None),
    ("融资50余亿元", "50余亿元", 5e9, E, E, "over", "CNY", None),
    ("融資50餘億元", "50餘億元", 5e9, E, E, "over", "CNY", None),
    ("市值不足600亿港元", "不足600亿港元", 6e10, E, E, "under", "HKD", None),
    ("收入不到1亿元", "不到1亿元", 1e8, E, E, "under", "CNY", None),
    ("收入低于1亿元", "低于1亿元", 1e8, E, E, "under", "CNY", None),
    ("成本5000万元以下", "5000万元以下", 5e7, E, E, "under", "CNY", None),
    ("预算不超过3亿元", "不超过3亿元", 3e8, E, E, "under", "CNY", None),
    # ranges
    ("净利润在100万元-2亿元", "100万元-2亿元", None, 1e6, 2e8, "range", "CNY", None),
    ("募资10亿至15亿美元", "10亿至15亿美元", None, 1e9, 1.5e9, "range", "USD", None),
    ("募資10億至15億美元", "10億至15億美元", None, 1e9, 1.5e9, "range", "USD", None),
    ("订单金额10-15亿元", "10-15亿元", None, 1e9, 1.5e9, "range", "CNY", None),
    ("报价5~8万元", "5~8万元", None, 5e4, 8e4, "range", "CNY", None),
    ("估值300亿到400亿元", "300亿到400亿元", None, 3e10, 4e10, "range", "CNY", None),
    # vague magnitudes
    ("需要数亿元资金", "数亿元", None, 1e8, 1e9, "range", "CNY", None),
    ("投入數億元", "數億元", None, 1e8, 1e9, "range", "CNY", None),
    ("投入几十亿美元", "几十亿美元", None, 1e9, 1e10, "range", "USD", None),
    ("花费数百万元", "数百万元", None, 1e6, 1e7, "range", "CNY", None),
    ("年收入仅千万级", "千万级", None, 1e7, 1e8, "range", "CNY", None),
    ("万亿美元级别的市场", "万亿美元级别", None, 1e12, 1e13, "range", "USD", None),
    ("月收入达到上亿美元", "上亿美元", 1e8, E, E, "over", "USD", None),
    ("单月业绩破亿", "破亿", 1e8, E, E, "over", "CNY", None),
    ("單月業績破億", "破億", 1e8, E, E, "over", "CNY", None),
    ("完成过亿元的A轮融资", "过亿元", 1e8, E, E, "over", "CNY", None),
    ("营收超亿元", "超亿元", 1e8, E, E, "over", "CNY", None),
    ("年化收入超千万元", "超千万元", 1e7, E, E, "over", "CNY", None),
    # implied currency
    ("拿下了2亿追加投资", "2亿", 2e8, E, E, "exact", "CNY", None),
    ("50億融資也會燒成灰燼", "50億", 5e9, E, E, "exact", "CNY", None),
    ("一度跑出3000亿港元的市值,但如今已跌至不足600亿", "不足600亿", 6e10, E, E, "under", "HKD", None),
    ("月收入上亿美元,年化收入突破15亿", "突破15亿", 1.5e9, E, E, "over", "USD", None),
    ("公司营收为3.2亿", "3.2亿", 3.2e8, E, E, "exact", "CNY", None),
    ("估值约200亿", "约200亿", 2e10, E, E, "approx", "CNY", None),
    # unit prices
    ("定价为0.0008元/千Tokens", "0.0008元/千Tokens", 0.0008, E, E, "exact", "CNY", "1000 tokens"),
    ("价格从5元/百万token砍至1元", "5元/百万token", 5, E, E, "exact", "CNY", "1000000 tokens"),
    ("价格为0.1元/千tokens", "0.1元/千tokens", 0.1, E, E, "exact", "CNY", "1000 tokens"),
    ("價格為0.1元/千tokens", "0.1元/千tokens", 0.1, E, E, "exact", "CNY", "1000 tokens"),
    ("每百万tokens 2元", "每百万tokens 2元", 2, E, E, "exact", "CNY", "1000000 tokens"),
    ("每百萬tokens 2元", "每百萬tokens 2元", 2, E, E, "exact", "CNY", "1000000 tokens"),
    ("从5毛钱1000个tokens降价", "5毛钱1000个tokens", 0.5, E, E, "exact", "CNY", "1000 tokens"),
    ("5分钱处理100万tokens", "5分钱处理100万tokens", 0.05, E, E, "exact", "CNY", "1000000 tokens"),
    ("以每股28.5港元发行", "每股28.5港元", 28.5, E, E, "exact", "HKD", "1 share"),
    ("以每股28.5港元發行", "每股28.5港元", 28.5, E, E, "exact", "HKD", "1 share"),
    ("订阅费为20美元/月", "20美元/月", 20, E, E, "exact", "USD", "1 month"),
    ("价格为$0.5/百万tokens", "$0.5/百万tokens", 0.5, E, E, "exact", "USD", "1000000 tokens"),
    # sentences as news writes them
    ("2024年,智谱年度收入为3亿元,而亏损却达20亿元。", "20亿元", 2e9, E, E, "exact", "CNY", None),
    ("智譜的經調整淨虧損分別為 0.97 億元、6.21 億元", "6.21 億元", 621000000, E, E, "exact", "CNY", None),
    ("微软刚以6.5亿美元许可费将Inflection AI的团队整体收编", "6.5亿美元", 6.5e8, E, E, "exact", "USD", None),
    ("在成立的 6 年時間裡,智譜融資超 8 輪,累計融資規模超 83 億元。", "超 83 億元", 8.3e9, E, E, "over", "CNY", None),
    ("珠海华发集团宣布战略投资,金额为5亿元。", "5亿元", 5e8, E, E, "exact", "CNY", None),
    ("字节、阿里又把API价格打到0.0003元/千token", "0.0003元/千token", 0.0003, E, E, "exact", "CNY", "1000 tokens"),
    ("以2024年為例,智譜年度收入為3億元,而虧損卻達20億元。", "3億元", 3e8, E, E, "exact", "CNY", None),
    ("7月2日,智譜再獲由浦東創投集團和張江集團的10億元戰略投資。", "10億元", 1e9, E, E, "exact", "CNY", None),
    ("3月,連跑珠海、成都、杭州三地簽下18億元國資", "18億元", 1.8e9, E, E, "exact", "CNY", None),
    ("又被曝出正與投行討論以約3億美元集資額赴港上市", "約3億美元", 3e8, E, E, "approx", "USD", None),
    ("公司账上现金约1.5万亿日元", "约1.5万亿日元", 1.5e12, E, E, "approx", "JPY", None),
    ("年营收逾千亿元", "逾千亿元", 1e11, E, E, "over", "CNY", None),
    ("年營收逾千億元", "逾千億元", 1e11, E, E, "over", "CNY", None),
    ("收购对价为2.35亿美元", "2.35亿美元", 2.35e8, E, E, "exact", "USD", None),
    ("单笔订单金额达8,000万元", "8,000万元", 8e7, E, E, "exact", "CNY", None),
    ("研发投入12.5億元人民幣", "12.5億元人民幣", 1.25e9, E, E, "exact", "CNY", None),
    ("发行价每股 19.8 港元", "每股 19.8 港元", 19.8, E, E, "exact", "HKD", "1 share"),
    ("融资规模近百亿元", "近百亿元", 1e10, E, E, "approx", "CNY", None),
    ("投入兩千萬美元", "兩千萬美元", 2e7, E, E, "exact", "USD", None),
    ("估值达到一千五百亿元", "一千五百亿元", 1.5e11, E, E, "exact", "CNY", None),
    ("市值蒸发约五百亿港元", "约五百亿港元", -5e10, E, E, "approx", "HKD", None),
]

PERCENT = [
    ("毛利率为54.6%", "54.6%", 54.6, E, E, "exact", "percent"),
    ("毛利率為54.6%", "54.6%", 54.6, E, E, "exact", "percent"),
    ("增长130％", "130％", 130, E, E, "exact", "percent"),
    ("占比６.６％", "６.６％", 6.6, E, E, "exact", "percent"),
    ("市占率为 6.6%", "6.6%", 6.6, E, E, "exact", "percent"),
    ("同比下降-15%", "-15%", -15, E, E, "exact", "percent"),
    ("利润率为负40%", "负40%", -40, E, E, "exact", "percent"),
    ("利潤率為負40%", "負40%", -40, E, E, "exact", "percent"),
    ("增长超 70%", "超 70%", 70, E, E, "over", "percent"),
    ("增長超過60%", "超過60%", 60, E, E, "over", "percent"),
    ("提升至近 12%", "近 12%", 12, E, E, "approx", "percent"),
    ("增长100%以上", "100%以上", 100, E, E, "over", "percent"),
    ("增长**100%**以上", "100%", 100, E, E, "over", "percent"),
    ("约90%左右", "约90%左右", 90, E, E, "approx", "percent"),
    ("占比不足5%", "不足5%", 5, E, E, "under", "percent"),
    ("占比低于5%", "低于5%", 5, E, E, "under", "percent"),
    ("净利率40%-45%", "40%-45%", None, 40, 45, "range", "percent"),
    ("降幅在5-20%之间", "5-20%", None, 5, 20, "range", "percent"),
    ("降幅為5%至20%", "5%至20%", None, -20, -5, "range", "percent"),
    ("增长百分之三十五", "百分之三十五", 35, E, E, "exact", "percent"),
    ("增長百分之三十五", "百分之三十五", 35, E, E, "exact", "percent"),
    ("增长百分之十二点五", "百分之十二点五", 12.5, E, E, "exact", "percent"),
    ("不良率千分之五", "千分之五", 0.5, E, E, "exact", "percent"),
    ("坏账率为3‰", "3‰", 0.3, E, E, "exact", "percent"),
    ("收入的三成来自海外", "三成", 30, E, E, "exact", "percent"),
    ("近七成收入", "近七成", 70, E, E, "approx", "percent"),
    ("超三成", "超三成", 30, E, E, "over", "percent"),
    ("國資佔比超三成", "超三成", 30, E, E, "over", "percent"),
    ("约九成用户", "约九成", 90, E, E, "approx", "percent"),
    ("有六成半的订单", "六成半", 65, E, E, "exact", "percent"),
    ("打五折", "五折", 50, E, E, "exact", "percent"),
    ("享七五折", "七五折", 75, E, E, "exact", "percent"),
    ("会员8.5折", "8.5折", 85, E, E, "exact", "percent"),
    ("打8折", "8折", 80, E, E, "exact", "percent"),
    ("下降8.3个百分点", "8.3个百分点", -8.3, E, E, "exact", "percentage_point"),
    ("提升近两个百分点", "近两个百分点", 2, E, E, "approx", "percentage_point"),
    ("提升近兩個百分點", "近兩個百分點", 2, E, E, "approx", "percentage_point"),
    ("上升3个百分点", "3个百分点", 3, E, E, "exact", "percentage_point"),
    ("CAGR 达到 130%", "130%", 130, E, E, "exact", "percent"),
    ("同比增長超 300%", "超 300%", 300, E, E, "over", "percent"),
    ("一季度同比下降达31.2%", "31.2%", -31.2, E, E, "exact", "percent"),
    ("一季度同比下降達31.2%", "31.2%", -31.2, E, E, "exact", "percent"),
    ("海外收入占比约为8%", "约为8%", 8, E, E, "approx", "percent"),
    ("市场份额超过两成", "超过两成", 20, E, E, "over", "percent"),
    ("市場份額超過兩成", "超過兩成", 20, E, E, "over", "percent"),
    ("渗透率不足百分之五", "不足百分之五", 5, E, E, "under", "percent"),
    ("毛利率提高了5.2个百分点", "5.2个百分点", 5.2, E, E, "exact", "percentage_point"),
    ("毛利率提高了5.2個百分點", "5.2個百分點", 5.2, E, E, "exact", "percentage_point"),
    ("降价幅度在30%~50%之间", "30%~50%", None, 30, 50, "range", "percent"),
    ("净利率约 12.5 %", "约 12.5 %", 12.5, E, E, "approx", "percent"),
    ("用户留存率达九成以上", "九成以上", 90, E, E, "over", "percent"),
    ("占比约百分之四十", "约百分之四十", 40, E, E, "approx", "percent"),
    ("同比增长1.5倍以上,达到150%", "150%", 150, E, E, "exact", "percent"),
    ("折扣力度为七折", "七折", 70, E, E, "exact", "percent"),
    # signs and changes: a fall is negative, the bounds follow the magnitude
    ("季度营收同比下降4.6%", "4.6%", -4.6, E, E, "exact", "percent"),
    ("季度營收同比下降4.6%", "4.6%", -4.6, E, E, "exact", "percent"),
    ("出货量下降超过8%", "超过8%", -8, None, -8, "over", "percent"),
    ("利润同比下滑不到5%", "不到5%", -5, -5, None, "under", "percent"),
    ("预计净利润同比下降30%到40%", "30%到40%", None, -40, -30, "range", "percent"),
    ("毛利率环比下降0.6个百分点", "0.6个百分点", -0.6, E, E, "exact", "percentage_point"),
    ("毛利率降至31.7%", "31.7%", 31.7, E, E, "exact", "percent"),
    ("净息差同比-3.2%", "-3.2%", -3.2, E, E, "exact", "percent"),
    ("营收增长三成", "三成", 30, E, E, "exact", "percent"),
    # numerals
    ("股票仓位约为8.5成", "约为8.5成", 85, E, E, "approx", "percent"),
    ("仓位提升至２.５成", "２.５成", 25, E, E, "exact", "percent"),
    ("全场低至65折", "65折", 65, E, E, "exact", "percent"),
    ("尾货打二点五折", "二点五折", 25, E, E, "exact", "percent"),
    ("佣金为万分之五", "万分之五", 0.05, E, E, "exact", "percent"),
    ("误差为百万分之五", "百万分之五", 0.0005, E, E, "exact", "percent"),
    ("利率下调0.25百分点", "0.25百分点", -0.25, E, E, "exact", "percentage_point"),
    ("利润率提升两三个百分点", "两三个百分点", None, 2, 3, "range", "percentage_point"),
    ("佔比約為百分之二三", "約為百分之二三", None, 2, 3, "range", "percent"),
]

NOT_FACTS = [
    # (text, kind that must not appear)
    ("清华大学打造的GLM-130B正式诞生", "money"),
    ("1.75万亿参数规模", "money"),
    ("日均 token 消耗量已达到 4.2 萬億", "money"),
    ("推出了两款基座大模型", "money"),
    ("智谱的开源模型已达50余款", "money"),
    ("提供7×24小时服务", "percent"),
    ("比如并行科技(839493)等玩家", "money"),
    ("联系电话13812345678", "money"),
    ("排名第二的大模型厂商", "money"),
    ("超过2000家生态合作伙伴", "money"),
    ("付费开发者超过 15 万", "money"),
    ("OpenAI月活破亿", "money"),
    ("逾 8000 萬臺終端用戶設備", "money"),
    ("GPT-4原生支持最高128K长文本", "money"),
    ("行业格局一成不变", "percent"),
    ("竞争十分焦灼", "percent"),
    ("杭州引入智谱共建长三角AI高地", "money"),
    ("单一元素构成的二元结构", "money"),
    ("需要数万块GPU", "money"),
    ("中国集结 56 万大军", "money"),
    ("发布CogVideoX v1.5模型", "money"),
    ("上下文窗口从4k提升到100万字", "money"),
    ("市场上同样规格的模型价格是豆包的130倍", "money"),
    ("日活用户数区间为10万-40万", "money"),
    ("招股书中的2000亿参数", "money"),
    ("公司有员工3000人", "money"),
    ("获得5000万次下载", "money"),
    ("第三折的唱词", "percent"),
    ("一二三四年级的学生", "date"),
    ("版本号为2024.03.14.1", "date"),
    ("该项目募资5亿津巴布韦元", "money"),
    ("营收达1.2亿卢比", "money"),
    ("他买了三块六个月饼", "money"),
    ("比赛进行到第20分钟", "money"),
    ("长江三角洲地区", "money"),
    ("处于行业前10个百分位", "percent"),
    ("公司2020-2024年累计研发投入", "money"),
]
# fmt: on


def _fact(text, span, kind):
    facts = [f for f in extract_text(text, rules=R) if f.kind == kind]
    at = text.find(span)
    match = [f for f in facts if f.start == at and f.end == at + len(span)]
    assert match, f"{text!r}: no {kind} fact at {span!r}; got {[(f.text, f.rule) for f in facts]}"
    return match[0]


def _bounds(value, qualifier, low, high):
    if low is E:
        low = value if qualifier in ("exact", "over") else None
    if high is E:
        high = value if qualifier in ("exact", "under") else None
    return low, high


def _d(x):
    return None if x is None else Decimal(str(x))


@pytest.mark.parametrize("text,span,value,low,high,qualifier,unit,per", MONEY, ids=[m[0] for m in MONEY])
def test_money(text, span, value, low, high, qualifier, unit, per):
    r = _fact(text, span, "money")
    low, high = _bounds(value, qualifier, low, high)
    got = (r.value, r.low, r.high, r.qualifier, r.unit, r.per)
    want = (_d(value), _d(low), _d(high), qualifier, unit, per)
    assert got == want


@pytest.mark.parametrize("text,span,value,low,high,qualifier,unit", PERCENT, ids=[p[0] for p in PERCENT])
def test_percent(text, span, value, low, high, qualifier, unit):
    r = _fact(text, span, "percent")
    low, high = _bounds(value, qualifier, low, high)
    assert (r.value, r.low, r.high, r.qualifier, r.unit) == (_d(value), _d(low), _d(high), qualifier, unit)


@pytest.mark.parametrize("text,kind", NOT_FACTS, ids=[n[0] for n in NOT_FACTS])
def test_look_alikes_are_not_facts(text, kind):
    assert [f.text for f in extract_text(text, rules=R) if f.kind == kind] == []


def test_the_table_is_large_enough():
    assert len(MONEY) + len(PERCENT) >= 200
