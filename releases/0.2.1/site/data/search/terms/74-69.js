NC.data("search/terms/74-69",{"time":[59,89,120,124,172],"timetable":[189]});
