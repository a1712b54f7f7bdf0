"""The standard school-bus safety inspection list (校车安全检查表) a centre goes through each
month with the police and the transport authority (SM8.4), from 《校车安全管理条例》(2012): the
vehicle and what it must carry, its papers, the driver's qualification, the attendant, the
trip records. Kept in Chinese as the checklists are (standard.py); every failed item needs a
photo, and becomes a hazard of the "school buses" campaign."""

F = "photo_on_fail"

BUS_MONTHLY = [
    ("车辆状况", "校车座位数不少于7座，座椅、安全带齐全完好，一人一座一带", F),
    ("车辆状况", "制动、转向、灯光、轮胎、应急门（窗）技术状况良好", F),
    ("安全设备", "配备安全锤，放置在规定位置，取用方便", F),
    ("安全设备", "配备有效灭火器，压力正常、在有效期内", F),
    ("安全设备", "配备急救箱，药品、器材齐全未过期", F),
    ("安全设备", "安装具有行驶记录功能的卫星定位装置，运行正常", F),
    ("标牌标志", "校车标牌、校车标志灯、停车指示标志齐全，校车标牌在有效期内", F),
    ("车辆证照", "机动车安全技术检验合格（每半年一次），在有效期内", F),
    ("车辆证照", "机动车交通事故责任强制保险和承运人责任保险在有效期内", F),
    ("驾驶人", "驾驶人取得校车驾驶资格，驾驶证准驾车型相符，按期审验", F),
    ("驾驶人", "驾驶人无酒后驾驶、无身体不适，与登记驾驶人一致", F),
    ("照管人员", "每车配备随车照管人员，在岗履职，清点学生人数有记录", F),
    ("运行管理", "按核定线路、站点和时间运行，不超员、学生不坐副驾驶座", F),
    ("运行管理", "行驶记录显示未超速（高速≤80、其他道路≤60、恶劣条件≤20公里/小时）", F),
    ("运行管理", "每趟次“五不出校”发车前检查记录完整", F),
    ("安全管理", "驾驶人每月培训、每周安全学习有记录，出勤情况良好", F),
]
