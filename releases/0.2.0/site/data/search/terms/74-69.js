NC.data("search/terms/74-69",{"time":[55,85,120,125,167],"timetable":[184]});
