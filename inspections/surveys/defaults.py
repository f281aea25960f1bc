"""The ready questionnaires of seed 000's themes (减负提质): one for students, one for parents.

Seed 000: 督导室不定期对学校"减负提质"工作开展问卷及走访调查. The themes: written homework
time, sleep, paid tutoring (有偿家教, seed 004's special inspection asked "学科、教师、时间、是否
自愿"), after-school service, physical activity (每天1小时), satisfaction with the school.
Each question is (code, kind, text, options); a choice is (code, label, within the rule).
"""

YES_NO = (("yes", "是", False), ("no", "否", False))
SATISFACTION = (("very", "很满意", True), ("satisfied", "满意", True), ("fair", "基本满意", False),
                ("no", "不满意", False))
TUTORING = (("no", "没有", True), ("yes", "有", False), ("unsure", "不清楚", False))
AFTER_SCHOOL_ACTIVITIES = (("sport", "体育锻炼", False), ("reading", "课外阅读", False),
                           ("arts", "艺术活动", False), ("chores", "家务劳动", False),
                           ("tutoring", "学科类培训", False), ("screens", "看电视、玩手机或电脑", False))

STUDENT_QUESTIONS = (
    ("homework_minutes", "number", "上学日，你平均每天完成老师布置的书面作业大约需要多少分钟？",
     {"unit": "分钟", "min": 0, "max": 600, "bounds": [30, 60, 90, 120], "measure": "homework"}),
    ("sleep_hours", "number", "上学日，你平均每天睡眠大约多少小时？",
     {"unit": "小时", "min": 0, "max": 24, "bounds": [8, 9, 10], "measure": "sleep"}),
    ("activity_minutes", "number", "你平均每天在校参加体育活动（含体育课、大课间、课外活动）大约多少分钟？",
     {"unit": "分钟", "min": 0, "max": 600, "bounds": [30, 60, 90], "measure": "activity"}),
    ("after_school", "single", "你参加学校的课后服务吗？", {"choices": YES_NO}),
    ("after_school_days", "number", "你每周参加几天学校的课后服务？",
     {"unit": "天", "min": 0, "max": 7, "bounds": [3, 5], "measure": "after_school",
      "if": ("after_school", ["yes"])}),
    ("after_class", "multiple", "放学后你主要做什么？（可多选）", {"choices": AFTER_SCHOOL_ACTIVITIES}),
    ("paid_tutoring", "single", "本学期，是否有老师组织、介绍或要求你参加有偿补课？",
     {"choices": TUTORING, "measure": "no_tutoring"}),
    ("paid_tutoring_detail", "text", "请说明补课的学科和时间（不要写任何人的姓名）。",
     {"max_length": 200, "required": False, "if": ("paid_tutoring", ["yes"])}),
    ("satisfaction", "single", "你对学校“减负提质”工作满意吗？", {"choices": SATISFACTION, "measure": "satisfaction"}),
    ("suggestion", "text", "你对学校减轻课业负担还有什么建议？（选填）", {"max_length": 500, "required": False}),
)

PARENT_QUESTIONS = (
    ("homework_minutes", "number", "上学日，孩子平均每天完成学校布置的书面作业大约需要多少分钟？",
     {"unit": "分钟", "min": 0, "max": 600, "bounds": [30, 60, 90, 120], "measure": "homework"}),
    ("sleep_hours", "number", "上学日，孩子平均每天睡眠大约多少小时？",
     {"unit": "小时", "min": 0, "max": 24, "bounds": [8, 9, 10], "measure": "sleep"}),
    ("activity_minutes", "number", "据您了解，孩子平均每天在校体育活动大约多少分钟？",
     {"unit": "分钟", "min": 0, "max": 600, "bounds": [30, 60, 90], "measure": "activity"}),
    ("after_school", "single", "孩子参加学校的课后服务吗？", {"choices": YES_NO}),
    ("after_school_days", "number", "孩子每周参加几天学校的课后服务？",
     {"unit": "天", "min": 0, "max": 7, "bounds": [3, 5], "measure": "after_school",
      "if": ("after_school", ["yes"])}),
    ("after_school_fee", "single", "学校是否在核定的课后服务费用之外另收费用？",
     {"choices": (("no", "没有", False), ("yes", "有", False), ("unsure", "不清楚", False)),
      "if": ("after_school", ["yes"])}),
    ("paid_tutoring", "single", "本学期，是否有在职教师组织、介绍或要求孩子参加有偿补课？",
     {"choices": TUTORING, "measure": "no_tutoring"}),
    ("paid_tutoring_detail", "text", "请说明补课的学科、时间、费用及是否自愿（不要写任何人的姓名）。",
     {"max_length": 300, "required": False, "if": ("paid_tutoring", ["yes"])}),
    ("satisfaction", "single", "您对学校“减负提质”工作满意吗？", {"choices": SATISFACTION, "measure": "satisfaction"}),
    ("suggestion", "text", "您对学校还有什么意见或建议？（选填）", {"max_length": 500, "required": False}),
)

READY = (
    ("students", "学生“减负提质”问卷", "本问卷由区教育局督导室组织，不记名，只统计全校情况。请如实填写。",
     STUDENT_QUESTIONS),
    ("parents", "家长“减负提质”问卷", "本问卷由区教育局督导室组织，不记名，只统计全校情况，"
     "不会告诉学校是谁填写的。请根据孩子的实际情况填写。", PARENT_QUESTIONS),
)
