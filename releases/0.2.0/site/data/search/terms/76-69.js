NC.data("search/terms/76-69",{"victims":[43,276],"victory":[57,97],"violent":[78,155,220,275],"visit":[167,200,229],"vital":[46,62,275]});
