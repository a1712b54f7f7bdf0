"""Plan 2021 as data: the obligations that 《2021年全区教育系统安全稳定工作要点》(永教办〔2021〕42号)
places on the district's schools, one plain dict each.

This is configuration, not code. Next year the bureau copies this list (or edits the loaded
obligations on the plan page) and nothing else changes. `services.plan_load` reads it; loading
twice adds only what is missing and never overwrites what the bureau has edited since.

Keys (all but code, name, record_kind and frequency are optional):
  code          stable identifier inside the plan
  name          what people see (Chinese: the plan's own words)
  description   what the plan asks, citing its clause
  record_kind   the kind of record that fulfils it (registered by the app that writes it)
  frequency     daily | working_daily | weekly | monthly | semester | yearly | sensitive_daily
  times         records needed per period (default 1)
  due_days, due_counting   allowed after the period's last day (default 0, "calendar")
  org_kind      who owes it (default "school")
  school_types  [] for all, else school type codes
  boarding_only only boarding schools
  condition     only the orgs that meet a registered condition ("buses.runs_buses": the
                schools that run school buses, and the centres above them)
  role          the role that owes it inside the org (its holders see it in their inbox)
  per_subject   one period per subject from a registered provider (grid area, staff member)
  category      inspection | nine_ones | routine | fire | patrol | duties | other
  is_default    a plausible default the bureau still has to confirm

Clause references: 二（一）1 means part two, section (一) "安全管理工作", item 1.
"""

# The 2021 document is the model; a bureau's plan of another year carries that year's number.
PLAN_NAME = "{year}年全区教育系统安全稳定工作要点"


def plan_code(year: int) -> str:
    return f"plan-{year}"


def plan_name(year: int) -> str:
    return PLAN_NAME.format(year=year)


# Default "nine ones" (九个一): the plan requires the system (二（一）2, 三（三）一) but does
# not list it, and no authoritative list was found. These nine are the common practice of
# district plans, each tied to a duty the plan states elsewhere; the bureau confirms or replaces
# them on the plan page. They carry `is_default`: the plan page counts them once above the list
# and marks each row "to confirm", so the descriptions do not say it again.

OBLIGATIONS: list[dict] = [
    # --- 日周月 inspection (二（一）2: 严格落实……“日周月”隐患排查制度) -------------------------
    {
        "code": "area-daily",
        "name": "网格日查",
        "description": "每个工作日由网格责任人对所负责网格开展隐患排查（二（一）2“日周月”隐患排查制度；"
        "网格化、清单化管理）。",
        "record_kind": "inspections.area_daily",
        "frequency": "working_daily",
        "per_subject": "inspections.grid_area",
        "category": "inspection",
    },
    {
        "code": "office-weekly",
        "name": "安全办周查",
        "description": "学校安全办每周对全校开展一次隐患排查（二（一）2“日周月”隐患排查制度）。",
        "record_kind": "inspections.office_weekly",
        "frequency": "weekly",
        "due_days": 1,
        "due_counting": "working",
        "role": "safety_officer",
        "category": "inspection",
    },
    {
        "code": "leadership-monthly",
        "name": "校领导月查",
        "description": "校长（学校安全工作领导小组）每月带队开展一次全面隐患排查（二（一）2“日周月”"
        "隐患排查制度）。",
        "record_kind": "inspections.leadership_monthly",
        "frequency": "monthly",
        "due_days": 3,
        "due_counting": "working",
        "role": "principal",
        "category": "inspection",
    },
    # --- fire, patrol ---------------------------------------------------------------------------
    {
        "code": "fire-self-check",
        "name": "消防安全自查",
        "description": "每学期至少开展1次消防安全自查，自查后5日内将《学校幼儿园消防安全隐患检查记录表》"
        "经法定代表人签字盖章报区教委安稳办（二（一）7）。报送时限由消防自查记录自行判定，"
        "本项按学期统计是否完成。",
        "record_kind": "fire.self_check",
        "frequency": "semester",
        "due_days": 5,
        "role": "safety_officer",
        "category": "fire",
    },
    {
        "code": "night-patrol",
        "name": "夜间巡更",
        "description": "保安每晚按巡更点完成夜间巡逻（二（一）2 护校巡逻；二（一）3 电子巡查系统）。"
        "夜间巡逻次日上午评定，故期限为次日。",
        "record_kind": "patrol.round",
        "frequency": "daily",
        "due_days": 1,
        "role": "guard",
        "category": "patrol",
    },
    # --- responsibilities -----------------------------------------------------------------------
    {
        "code": "responsibility-letter",
        "name": "安全责任书签订",
        "description": "按《中小学岗位安全工作指南》将安全工作目标任务分解到部门、落实到岗位、具体到"
        "教职工，每位教职工每年签订岗位安全责任书（二（一）1）。",
        "record_kind": "duties.letter",
        "frequency": "yearly",
        "per_subject": "duties.staff",
        "category": "duties",
    },
    {
        "code": "five-in-place",
        "name": "“五到位”自评",
        "description": "校园法定代表人落实安全法定职责，做到责任、投入、培训、管理、救援“五到位”，"
        "每年自评并附佐证（二（一）1）。",
        "record_kind": "duties.five_in_place",
        "frequency": "yearly",
        "role": "principal",
        "category": "duties",
    },
    {
        "code": "public-commitment",
        "name": "消防安全公示承诺",
        "description": "全面推行风险隐患“自知、自查、自改”和公示承诺制度，每学期公示承诺一次"
        "（二（一）7）。",
        "record_kind": "duties.commitment",
        "frequency": "semester",
        "role": "principal",
        "category": "duties",
    },
    {
        "code": "risk-self-check",
        "name": "风险隐患“自知、自查、自改”",
        "description": "督促学校落实《火灾风险自查指南》，全面推行风险隐患“自知、自查、自改”制度，"
        "每学期形成一次自查自改记录（二（一）7）。",
        "record_kind": "duties.self_check",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "duties",
    },
    # --- routine systems (二（一）2: 健全定期例会、政务值班、护校巡逻、校门进出管理、学生宿舍
    #     巡查、教师家访以及信息收集、处理、报送等安全制度) ----------------------------------------
    {
        "code": "safety-meeting",
        "name": "安全工作例会",
        "description": "每月召开一次安全工作例会，研究部署安全工作（二（一）2 定期例会制度）。",
        "record_kind": "routine.safety_meeting",
        "frequency": "monthly",
        "due_days": 3,
        "due_counting": "working",
        "role": "principal",
        "category": "routine",
    },
    {
        "code": "holiday-duty",
        "name": "节假日领导带班值班",
        "description": "节假日和敏感时期每天安排领导带班、人员值班并记录（二（一）2 政务值班制度；"
        "二（二）3 敏感时期）。",
        "record_kind": "routine.holiday_duty",
        "frequency": "sensitive_daily",
        "due_days": 1,
        "role": "principal",
        "category": "routine",
    },
    {
        "code": "gate-duty",
        "name": "护学岗",
        "description": "每个上学日早晚上下学高峰时段在校门口设立护学岗，到岗两次（二（一）8 建立覆盖"
        "上下学高峰勤务和校内外常态巡防机制）。",
        "record_kind": "routine.gate_duty",
        "frequency": "working_daily",
        "times": 2,
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "campus-patrol",
        "name": "护校巡逻",
        "description": "每天开展校园及周边巡逻并记录（二（一）2 护校巡逻制度）。",
        "record_kind": "routine.campus_patrol",
        "frequency": "daily",
        "due_days": 1,
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "gate-log",
        "name": "校门进出登记",
        "description": "每天对外来人员、车辆进出校门进行登记查验（二（一）2 校门进出管理制度；"
        "二（一）3 封闭式管理）。",
        "record_kind": "routine.gate_log",
        "frequency": "daily",
        "due_days": 1,
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "dorm-check",
        "name": "学生宿舍夜间巡查",
        "description": "寄宿制学校每晚对学生宿舍开展巡查并记录（二（一）2 学生宿舍巡查制度）。",
        "record_kind": "routine.dorm_check",
        "frequency": "daily",
        "due_days": 1,
        "boarding_only": True,
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "home-visit",
        "name": "教师家访",
        "description": "每学期开展教师家访，提醒家长履行教育与监护责任（二（一）1、2 教师家访制度）。"
        "次数为学校每学期至少应记录的家访批次。",
        "record_kind": "routine.home_visit",
        "frequency": "semester",
        "times": 1,
        "role": "principal",
        "category": "routine",
    },
    {
        "code": "info-report",
        "name": "安全信息收集报送",
        "description": "每周收集、处理并报送安全稳定信息（二（一）2 信息收集、处理、报送制度；"
        "三（三）五 信息报送纳入考核）。",
        "record_kind": "routine.info_report",
        "frequency": "weekly",
        "due_days": 1,
        "due_counting": "working",
        "role": "safety_officer",
        "category": "routine",
    },
    # --- the nine ones (default list, see above) -------------------------------------------------
    {
        "code": "nine-dismissal-reminder",
        "name": "九个一：每天放学前一分钟安全提醒",
        "description": "每个上学日放学前由班主任对学生进行一分钟安全提醒。",
        "record_kind": "routine.dismissal_reminder",
        "frequency": "working_daily",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-class-meeting",
        "name": "九个一：每周一次安全主题班会",
        "description": "每周召开一次安全教育主题班会（二（一）6 安全宣传教育）。",
        "record_kind": "routine.class_meeting",
        "frequency": "weekly",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-safety-lessons",
        "name": "九个一：每月安全法治教育课",
        "description": "全面落实每月不少于2课时的安全法治教育课（二（一）6）。",
        "record_kind": "routine.safety_lesson",
        "frequency": "monthly",
        "times": 2,
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-drill",
        "name": "九个一：每学期一次全员应急疏散演练",
        "description": "学校每学期至少开展1次全员参与的应急避险演练（含消防、交通、防溺水等）"
        "（二（一）6）。",
        "record_kind": "routine.drill",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-fire-training",
        "name": "九个一：每学期一次教职工消防培训",
        "description": "每学期至少一次邀请消防培训机构专业人员对教职员工开展消防培训（二（一）6）。",
        "record_kind": "routine.fire_training",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-parent-letter",
        "name": "九个一：每学期一封致家长安全告知书",
        "description": "每学期向家长发放一次安全告知书，提醒家长履行教育与监护责任（二（一）1；"
        "二（一）8 告知家长严禁租用非法营运车辆）。",
        "record_kind": "routine.parent_letter",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-anti-bullying",
        "name": "九个一：每学期一次预防欺凌专题教育",
        "description": "定期开展预防欺凌专题教育（二（三）4）。",
        "record_kind": "routine.anti_bullying",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-drowning",
        "name": "九个一：每学期一次防溺水专题教育",
        "description": "定期组织开展防溺水主题教育，教育学生牢记“七不三要”（二（一）9）。",
        "record_kind": "routine.drowning_education",
        "frequency": "semester",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    {
        "code": "nine-clue-screening",
        "name": "九个一：每月一次问题线索和矛盾纠纷排查",
        "description": "每月排查涉校涉生问题线索和矛盾纠纷，按时将问题线索排查表报送区教委安稳办"
        "（二（三）2；二（二）2）。",
        "record_kind": "routine.clue_screening",
        "frequency": "monthly",
        "due_days": 5,
        "due_counting": "working",
        "role": "safety_officer",
        "category": "nine_ones",
        "is_default": True,
    },
    # --- school buses (《校车安全管理条例》; SM8.3, SM8.4): owed only where buses run ------------
    {
        "code": "bus-driver-training",
        "name": "校车驾驶人每月安全培训",
        "description": "开行校车的学校每月组织校车驾驶人开展一次安全培训（交通法规、车辆检查、"
        "应急处置），记录参训人员和缺席人数（《校车安全管理条例》驾驶人职责）。",
        "record_kind": "routine.bus_driver_training",
        "frequency": "monthly",
        "due_days": 3,
        "due_counting": "working",
        "condition": "buses.runs_buses",
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "bus-safety-study",
        "name": "校车驾驶人和照管人员每周安全学习",
        "description": "开行校车的学校每周组织校车驾驶人和随车照管人员开展一次安全学习（“五不出校”、"
        "清点人数、应急疏散），记录参加人员和缺席人数。",
        "record_kind": "routine.bus_safety_study",
        "frequency": "weekly",
        "due_days": 1,
        "due_counting": "working",
        "condition": "buses.runs_buses",
        "role": "safety_officer",
        "category": "routine",
    },
    {
        "code": "centre-bus-inspection",
        "name": "教管中心校车安全月检",
        "description": "教育管理中心每月会同公安交警、交通运输部门对辖区开行校车的学校开展一次"
        "校车安全检查（《校车安全检查表》），发现问题纳入隐患整改。",
        "record_kind": "inspections.bus_monthly",
        "frequency": "monthly",
        "due_days": 3,
        "due_counting": "working",
        "org_kind": "centre",
        "condition": "buses.runs_buses",
        "role": "centre_officer",
        "category": "inspection",
    },
    # --- guards (SM6.4: guard training each autumn) ------------------------------------------------
    {
        "code": "guard-autumn-training",
        "name": "保安员秋季培训",
        "description": "每年秋季组织本校保安员开展一次业务培训（保安员名册中登记培训日期即记录本项；"
        "春季培训不计）。期限为工作要点规定的秋季培训截止日。",
        "record_kind": "guards.autumn_training",
        "frequency": "yearly",
        "role": "safety_officer",
        "category": "other",
    },
]
