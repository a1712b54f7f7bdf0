from django.db import migrations

# A copy of the library as it stood when this migration was written: migrations must not
# change when anwen.orgs.positions does.
POSITIONS = [
    ("principal", "校长"),
    ("party_secretary", "党组织书记"),
    ("vice_principal_safety", "分管安全副校长"),
    ("legal_vice_principal", "法治副校长"),
    ("safety_officer", "安全干部"),
    ("office_director", "办公室主任"),
    ("academic_director", "教务主任"),
    ("moral_director", "德育主任"),
    ("logistics_director", "总务主任"),
    ("class_teacher", "班主任"),
    ("teacher", "任课教师"),
    ("pe_teacher", "体育教师"),
    ("lab_keeper", "实验室管理员"),
    ("psych_teacher", "心理健康教师"),
    ("school_doctor", "校医"),
    ("kindergarten_teacher", "幼儿教师"),
    ("childcare_worker", "保育员"),
    ("dorm_manager", "宿舍管理员"),
    ("canteen_manager", "食堂管理员"),
    ("electrician", "电工"),
    ("guard", "保安"),
    ("gatekeeper", "门卫"),
    ("bus_driver", "校车驾驶员"),
    ("bus_attendant", "随车照管人员"),
    ("centre_director", "教管中心主任"),
    ("centre_safety_officer", "教管中心安全专干"),
    ("bureau_leader", "区教委领导"),
    ("bureau_safety_officer", "安稳办工作人员"),
    ("department_head", "科室负责人"),
    ("department_staff", "科室工作人员"),
]


def load(apps, schema_editor):
    Position = apps.get_model("orgs", "Position")
    for order, (code, name) in enumerate(POSITIONS):
        Position.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
